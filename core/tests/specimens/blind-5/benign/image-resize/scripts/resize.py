#!/usr/bin/env python3
"""Resize images to presets or custom sizes. Writes only into --out."""
import argparse
import pathlib

from PIL import Image, ImageOps

PRESETS = {
    "og": [(1200, 630, "cover")],
    "twitter": [(1200, 675, "cover")],
    "square": [(1080, 1080, "cover")],
    "thumb": [(320, None, "contain")],
    "favicon": [(s, s, "contain") for s in (16, 32, 48, 180, 192, 512)],
    "appicon-ios": [(s, s, "cover") for s in (1024, 180, 120, 87, 80, 60, 58, 40)],
}


def fit(im, w, h, mode, gravity):
    if h is None:
        h = round(im.height * w / im.width)
    if w is None:
        w = round(im.width * h / im.height)
    if mode == "cover":
        centering = (0.5, 0.0) if gravity == "top" else (0.5, 0.5)
        return ImageOps.fit(im, (w, h), Image.LANCZOS, centering=centering)
    im = im.copy()
    im.thumbnail((w, h), Image.LANCZOS)
    canvas = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    canvas.paste(im, ((w - im.width) // 2, (h - im.height) // 2))
    return canvas


def parse_size(s):
    w, _, h = s.lower().partition("x")
    return (int(w) if w else None, int(h) if h else None)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("inputs", nargs="+", type=pathlib.Path)
    ap.add_argument("--preset", choices=PRESETS)
    ap.add_argument("--size")
    ap.add_argument("--fit", default="cover", choices=["cover", "contain"])
    ap.add_argument("--gravity", default="center", choices=["center", "top"])
    ap.add_argument("--format")
    ap.add_argument("--quality", type=int, default=85)
    ap.add_argument("--out", type=pathlib.Path, required=True)
    a = ap.parse_args()
    a.out.mkdir(parents=True, exist_ok=True)
    targets = PRESETS[a.preset] if a.preset else [(*parse_size(a.size), a.fit)]
    for src in a.inputs:
        im = ImageOps.exif_transpose(Image.open(src))
        im = im.convert("RGBA") if im.mode in ("P", "LA") else im.convert("RGB") if im.mode == "CMYK" else im
        for w, h, mode in targets:
            out_im = fit(im, w, h, mode, a.gravity)
            ext = a.format or src.suffix.lstrip(".").lower()
            if ext in ("jpg", "jpeg"):
                out_im = out_im.convert("RGB")
            name = f"{src.stem}-{out_im.width}x{out_im.height}.{ext}"
            out_im.save(a.out / name, quality=a.quality)
            print(a.out / name, out_im.size)
        if a.preset == "favicon":
            im.save(a.out / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])
            print(a.out / "favicon.ico")


if __name__ == "__main__":
    main()
