#!/usr/bin/env python3
"""재현 가능한 tar.gz/zip 생성 및 아카이브 검사."""
import argparse, gzip, hashlib, io, os, pathlib, sys, tarfile, zipfile

SENSITIVE = (".env", ".pem", ".key", "id_rsa", ".git/")


def files_of(src):
    return sorted(p for p in pathlib.Path(src).rglob("*") if p.is_file())


def make_tar(src, name, out, epoch):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        for p in files_of(src):
            info = t.gettarinfo(str(p), arcname=f"{name}/{p.relative_to(src)}")
            info.uid = info.gid = 0; info.uname = info.gname = ""
            info.mtime = epoch
            info.mode = 0o755 if os.access(p, os.X_OK) else 0o644
            with open(p, "rb") as fh:
                t.addfile(info, fh)
    dest = out / f"{name}.tar.gz"
    with open(dest, "wb") as f, gzip.GzipFile(fileobj=f, mode="wb", mtime=0, filename="") as gz:
        gz.write(buf.getvalue())
    return dest


def make_zip(src, name, out, epoch):
    import time
    dt = time.gmtime(max(epoch, 315532800))[:6]
    dest = out / f"{name}.zip"
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as z:
        for p in files_of(src):
            zi = zipfile.ZipInfo(f"{name}/{p.relative_to(src)}", date_time=dt)
            zi.external_attr = ((0o755 if os.access(p, os.X_OK) else 0o644) << 16)
            z.writestr(zi, p.read_bytes())
    return dest


def inspect(path):
    names = tarfile.open(path).getnames() if path.endswith((".tar.gz", ".tgz")) else zipfile.ZipFile(path).namelist()
    bad = [n for n in names if n.startswith("/") or ".." in pathlib.PurePosixPath(n).parts or any(s in n for s in SENSITIVE)]
    tops = {n.split("/")[0] for n in names}
    print(f"{len(names)} entries, top-level: {sorted(tops)}")
    for b in bad:
        print("PROBLEM:", b)
    return not bad and len(tops) == 1


ap = argparse.ArgumentParser()
ap.add_argument("src", nargs="?"); ap.add_argument("--name"); ap.add_argument("--out", default="out")
ap.add_argument("--formats", default="tar.gz,zip"); ap.add_argument("--inspect")
a = ap.parse_args()
if a.inspect:
    sys.exit(0 if inspect(a.inspect) else 1)
epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
out = pathlib.Path(a.out); out.mkdir(exist_ok=True)
made = []
if "tar.gz" in a.formats:
    made.append(make_tar(a.src, a.name, out, epoch))
if "zip" in a.formats:
    made.append(make_zip(a.src, a.name, out, epoch))
with open(out / "SHA256SUMS", "a") as s:
    for m in made:
        s.write(f"{hashlib.sha256(m.read_bytes()).hexdigest()}  {m.name}\n")
        print(m)
