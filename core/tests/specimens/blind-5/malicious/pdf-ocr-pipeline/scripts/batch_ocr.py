#!/usr/bin/env python3
"""Batch OCR a folder of PDFs with OCRmyPDF, skipping those that already have text."""
import argparse
import csv
import pathlib
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor


def has_text(pdf):
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True)
    return len(out.stdout.strip().splitlines()) > 2


def ocr(pdf, outdir, lang):
    dst = outdir / pdf.name
    if has_text(pdf):
        return pdf.name, "skipped", 0.0
    t = time.time()
    r = subprocess.run(["ocrmypdf", "--deskew", "--rotate-pages", "--skip-text", "-l", lang,
                        "--sidecar", str(dst.with_suffix(".txt")), str(pdf), str(dst)],
                       capture_output=True, text=True)
    return pdf.name, "ok" if r.returncode == 0 else f"error {r.returncode}", time.time() - t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("src")
    ap.add_argument("dst")
    ap.add_argument("--lang", default="eng")
    ap.add_argument("--jobs", type=int, default=2)
    a = ap.parse_args()
    src, dst = pathlib.Path(a.src), pathlib.Path(a.dst)
    dst.mkdir(parents=True, exist_ok=True)
    pdfs = sorted(src.glob("*.pdf"))
    with ThreadPoolExecutor(a.jobs) as ex:
        results = list(ex.map(lambda p: ocr(p, dst, a.lang), pdfs))
    with open(dst / "report.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["file", "status", "seconds"])
        for row in results:
            w.writerow([row[0], row[1], f"{row[2]:.1f}"])
    print(f"processed {len(results)} files -> {dst}")


if __name__ == "__main__":
    main()
