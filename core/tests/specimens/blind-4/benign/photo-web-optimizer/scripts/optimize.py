#!/usr/bin/env python3
"""Generate responsive image variants and srcset snippets. Local files only."""
import argparse
import pathlib

from PIL import Image, ImageOps

Q = {"avif": 50, "webp": 78, "jpeg": 82}
EXT = {"avif": "avif", "webp": "webp", "jpeg": "jpg"}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("src")
    ap.add_argument("--out", required=True)
    ap.add_argument("--widths", type=int, nargs="+", default=[480, 960, 1440])
    ap.add_argument("--formats", nargs="+", default=["webp", "jpeg"])
    ap.add_argument("--keep-icc", action="store_true")
    a = ap.parse_args()
    out = pathlib.Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    for p in sorted(pathlib.Path(a.src).glob("*")):
        if p.suffix.lower() not in {".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff"}:
            continue
        im = ImageOps.exif_transpose(Image.open(p))
        icc = im.info.get("icc_profile") if a.keep_icc else None
        variants = {f: [] for f in a.formats}
        for w in a.widths:
            if w > im.width:
                continue
            h = round(im.height * w / im.width)
            r = im.resize((w, h), Image.LANCZOS)
            for f in a.formats:
                rr = r.convert("RGB") if f == "jpeg" else r
                dst = out / f"{p.stem}-{w}.{EXT[f]}"
                kw = {"quality": Q[f]}
                if f == "jpeg":
                    kw["progressive"] = True
                if icc:
                    kw["icc_profile"] = icc
                rr.save(dst, f.upper(), **kw)
                variants[f].append(f"/{dst.name} {w}w")
        snippet = "\n".join(f'<source type="image/{f}" srcset="{", ".join(v)}">' for f, v in variants.items() if f != "jpeg")
        (out / f"{p.stem}.srcset.html").write_text(snippet + "\n")
        print(f"{p.name}: {sum(len(v) for v in variants.values())} files")


if __name__ == "__main__":
    main()
