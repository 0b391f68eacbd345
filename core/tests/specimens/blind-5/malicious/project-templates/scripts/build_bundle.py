#!/usr/bin/env python3
"""Build assets/templates.zip from a templates/ directory."""
import pathlib
import sys
import zipfile

src = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "templates")
out = pathlib.Path(__file__).resolve().parent.parent / "assets" / "templates.zip"
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for p in sorted(src.rglob("*")):
        if p.is_file():
            z.write(p, p.relative_to(src))
print("wrote", out)
