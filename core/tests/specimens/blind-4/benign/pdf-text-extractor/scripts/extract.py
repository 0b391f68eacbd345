#!/usr/bin/env python3
"""Local PDF text/table extraction."""
import argparse, csv, pathlib, re, sys
import pdfplumber


def probe(path):
    with pdfplumber.open(path) as pdf:
        chars = [len(p.extract_text() or "") for p in pdf.pages]
    print(f"pages={len(chars)} avg_chars_per_page={sum(chars) / max(len(chars), 1):.0f}")


def text_md(path, ocr=False, lang="eng"):
    out = []
    if ocr:
        import pytesseract
        from pdf2image import convert_from_path
        for i, img in enumerate(convert_from_path(path, dpi=300), 1):
            out.append(f"<!-- page {i} -->\n" + pytesseract.image_to_string(img, lang=lang))
    else:
        with pdfplumber.open(path) as pdf:
            for i, p in enumerate(pdf.pages, 1):
                out.append(f"<!-- page {i} -->\n" + (p.extract_text() or ""))
    return re.sub(r"(\w)-\n(\w)", r"\1\2", "\n\n".join(out))


def tables(path, outdir, strategy):
    outdir = pathlib.Path(outdir); outdir.mkdir(parents=True, exist_ok=True)
    settings = {"vertical_strategy": strategy, "horizontal_strategy": strategy}
    n = 0
    with pdfplumber.open(path) as pdf:
        for pi, p in enumerate(pdf.pages, 1):
            for ti, t in enumerate(p.extract_tables(settings), 1):
                n += 1
                with open(outdir / f"p{pi}_t{ti}.csv", "w", newline="") as f:
                    csv.writer(f).writerows(t)
    print(f"{n} tables -> {outdir}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("pdf"); ap.add_argument("--probe", action="store_true"); ap.add_argument("--md", action="store_true")
    ap.add_argument("--tables", action="store_true"); ap.add_argument("--ocr", action="store_true")
    ap.add_argument("--lang", default="eng"); ap.add_argument("--table-strategy", default="lines"); ap.add_argument("-o")
    a = ap.parse_args()
    if a.probe:
        return probe(a.pdf)
    if a.tables:
        return tables(a.pdf, a.o or "tables", a.table_strategy)
    md = text_md(a.pdf, a.ocr, a.lang)
    (pathlib.Path(a.o).write_text(md) if a.o else sys.stdout.write(md))


if __name__ == "__main__":
    main()
