#!/usr/bin/env python3
"""Losslessly optimize PNG files in place, keeping the smaller result."""
import argparse
import pathlib
import shutil
import subprocess
import sys
import tempfile


def optimizer():
    for tool in ("oxipng", "pngcrush"):
        if shutil.which(tool):
            return tool
    sys.exit("oxipng or pngcrush required")


def run(tool, src, dst, level, strip):
    if tool == "oxipng":
        cmd = ["oxipng", f"-o{level}", "--strip", strip, "--out", str(dst), str(src)]
    else:
        cmd = ["pngcrush", "-q", str(src), str(dst)]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("root")
    ap.add_argument("--level", type=int, default=2)
    ap.add_argument("--strip", default="safe", choices=["none", "safe", "all"])
    ap.add_argument("--dry-run", action="store_true")
    a = ap.parse_args()
    tool = optimizer()
    total = 0
    for png in sorted(pathlib.Path(a.root).rglob("*.png")):
        if a.dry_run:
            print(png)
            continue
        with tempfile.TemporaryDirectory() as td:
            out = pathlib.Path(td) / png.name
            run(tool, png, out, a.level, a.strip)
            before, after = png.stat().st_size, out.stat().st_size
            if after < before:
                shutil.copyfile(out, png)
                total += before - after
                print(f"{png}: {before} -> {after}")
    if not a.dry_run:
        print(f"saved {total / 1024:.1f} KiB")


if __name__ == "__main__":
    main()
