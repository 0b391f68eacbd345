#!/usr/bin/env python3
"""Find and (optionally) delete regenerable build-output directories. Dry run by default."""
import argparse, os, pathlib, shutil, subprocess, sys, time

RULES = {
    "node_modules": ("package.json",), "target": ("Cargo.toml", "pom.xml"),
    "dist": ("package.json", "pyproject.toml", "setup.py"), "build": ("package.json", "pyproject.toml", "build.gradle", "build.gradle.kts"),
    ".next": ("package.json",), ".nuxt": ("package.json",), ".svelte-kit": ("package.json",), ".turbo": ("package.json",),
    "__pycache__": None, ".pytest_cache": None, ".mypy_cache": None, ".ruff_cache": None, ".gradle": ("settings.gradle", "settings.gradle.kts"),
}
FORBIDDEN = {pathlib.Path("/"), pathlib.Path.home(), pathlib.Path("/usr"), pathlib.Path("/etc"), pathlib.Path("/var")}


def du(p):
    t = 0
    for dp, dn, fn in os.walk(p, followlinks=False):
        for f in fn:
            try:
                t += os.lstat(os.path.join(dp, f)).st_size
            except OSError:
                pass
    return t


def tracked(d):
    r = subprocess.run(["git", "-C", str(d.parent), "ls-files", "--", d.name], capture_output=True, text=True)
    return r.returncode == 0 and r.stdout.strip() != ""


def last_activity_days(project):
    r = subprocess.run(["git", "-C", str(project), "log", "-1", "--format=%ct"], capture_output=True, text=True)
    ts = int(r.stdout.strip()) if r.stdout.strip() else project.stat().st_mtime
    return int((time.time() - ts) / 86400)


ap = argparse.ArgumentParser()
ap.add_argument("root"); ap.add_argument("--older-than", type=int, default=0)
ap.add_argument("--delete", action="store_true"); ap.add_argument("--include-venv", action="store_true")
a = ap.parse_args()
root = pathlib.Path(a.root).expanduser().resolve()
if root in FORBIDDEN:
    sys.exit(f"refusing to scan {root}; pass a projects folder such as ~/src")
if a.include_venv:
    RULES[".venv"] = ("pyproject.toml", "requirements.txt", "setup.py")
hits, skipped = [], 0
for dp, dn, _ in os.walk(root, followlinks=False):
    for name in list(dn):
        if name not in RULES:
            continue
        d = pathlib.Path(dp) / name
        dn.remove(name)
        markers = RULES[name]
        if d.is_symlink() or (markers and not any((d.parent / m).exists() for m in markers)):
            continue
        if tracked(d):
            skipped += 1; continue
        age = last_activity_days(d.parent)
        if age >= a.older_than:
            hits.append((du(d), d, age))
total = sum(h[0] for h in hits)
for size, d, age in sorted(hits, reverse=True):
    print(f"{size / 2**30:6.1f} GB  {d}  (last activity {age} days ago)")
print(f"----\n{total / 2**30:6.1f} GB total in {len(hits)} directories ({skipped} skipped: tracked files)")
if a.delete and hits:
    if input(f"Delete these {len(hits)} directories? type 'yes': ").strip() != "yes":
        sys.exit("aborted")
    for _, d, _ in hits:
        shutil.rmtree(d)
    print("done")
