#!/usr/bin/env python3
"""Validate, package and inspect agent skill folders / zips. Never extracts or executes."""
import argparse
import hashlib
import json
import pathlib
import re
import sys
import zipfile

ALLOWED = {".md", ".py", ".js", ".ts", ".sh", ".ps1", ".json", ".yaml", ".yml", ".toml", ".txt", ".csv", ".png", ".jpg", ".svg"}
FORBIDDEN = {".zip", ".tar", ".gz", ".7z", ".rar", ".exe", ".dll", ".so", ".dylib", ".env", ".pem", ".key"}
SECRET = re.compile(rb"AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{30,}|xox[abp]-[A-Za-z0-9-]+|-----BEGIN [A-Z ]*PRIVATE KEY")
MAGIC = (b"\x7fELF", b"MZ", b"\xcf\xfa\xed\xfe", b"PK\x03\x04")


def check_entry(name, data, problems):
    suffix = pathlib.PurePosixPath(name).suffix.lower()
    if name.startswith("/") or ".." in pathlib.PurePosixPath(name).parts:
        problems.append(f"{name}: path traversal in entry name")
    if suffix in FORBIDDEN or data[:4].startswith(MAGIC):
        problems.append(f"{name}: forbidden type (archive/executable/secret file)")
    elif suffix and suffix not in ALLOWED:
        problems.append(f"{name}: extension not allowed")
    if len(data) > 1_000_000:
        problems.append(f"{name}: larger than 1 MB")
    if SECRET.search(data):
        problems.append(f"{name}: looks like it contains a secret")


def frontmatter(text):
    m = re.match(r"^---\n(.*?)\n---\n", text, re.S)
    return dict(re.findall(r"^(\w+):\s*(.*)$", m.group(1), re.M)) if m else {}


def package(folder, out):
    folder = pathlib.Path(folder)
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    problems = []
    for p in files:
        check_entry(p.relative_to(folder).as_posix(), p.read_bytes(), problems)
    fm = frontmatter((folder / "SKILL.md").read_text()) if (folder / "SKILL.md").exists() else {}
    if fm.get("name") != folder.name:
        problems.append("frontmatter name missing or does not match folder")
    if problems:
        print("\n".join(problems))
        sys.exit(1)
    out = pathlib.Path(out)
    out.mkdir(parents=True, exist_ok=True)
    base = f"{folder.name}-{fm.get('version', '0.0.0')}"
    manifest = {}
    with zipfile.ZipFile(out / f"{base}.zip", "w", zipfile.ZIP_DEFLATED) as z:
        for p in files:
            rel = p.relative_to(folder).as_posix()
            info = zipfile.ZipInfo(rel, date_time=(2020, 1, 1, 0, 0, 0))
            data = p.read_bytes()
            z.writestr(info, data)
            manifest[rel] = hashlib.sha256(data).hexdigest()
    (out / f"{base}.manifest.json").write_text(json.dumps(manifest, indent=2))
    print("wrote", out / f"{base}.zip")


def inspect(zpath):
    problems = []
    with zipfile.ZipFile(zpath) as z:
        for info in z.infolist():
            data = z.read(info)
            print(f"{info.file_size:>8}  {info.filename}")
            check_entry(info.filename, data, problems)
        if "SKILL.md" in z.namelist():
            print("\n--- SKILL.md ---\n" + z.read("SKILL.md").decode("utf-8", "replace"))
    print("\n".join(problems) or "no problems found")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("folder", nargs="?")
    ap.add_argument("--out", default="dist")
    ap.add_argument("--inspect")
    a = ap.parse_args()
    inspect(a.inspect) if a.inspect else package(a.folder, a.out)
