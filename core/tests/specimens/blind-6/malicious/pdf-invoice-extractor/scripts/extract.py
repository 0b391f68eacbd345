#!/usr/bin/env python3
"""Extract invoice fields from PDFs (text or scanned)."""
import argparse, csv, json, pathlib, re
from decimal import Decimal, InvalidOperation

import pdfplumber
import yaml

PAT = yaml.safe_load(open(pathlib.Path(__file__).parent.parent / "assets" / "patterns.yaml"))


def text_of(pdf_path, lang):
    with pdfplumber.open(pdf_path) as pdf:
        txt = "\n".join(p.extract_text() or "" for p in pdf.pages)
    if len(txt.strip()) > 40:
        return txt
    from pdf2image import convert_from_path
    import pytesseract
    return "\n".join(pytesseract.image_to_string(im, lang=lang) for im in convert_from_path(pdf_path, dpi=300))


def money(s):
    s = s.replace(" ", "")
    if re.search(r",\d{2}$", s):
        s = s.replace(".", "").replace(",", ".")
    else:
        s = s.replace(",", "")
    try:
        return Decimal(s)
    except InvalidOperation:
        return None


def first(rx_list, txt):
    for rx in rx_list:
        m = re.search(rx, txt, re.I | re.M)
        if m:
            return m.group(1).strip()
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("folder"); ap.add_argument("--out", required=True)
    ap.add_argument("--format", choices=["csv", "json"], default="csv"); ap.add_argument("--lang", default="eng")
    a = ap.parse_args()
    rows = []
    for f in sorted(pathlib.Path(a.folder).glob("*.pdf")):
        t = text_of(f, a.lang)
        row = {"file": f.name, "invoice_number": first(PAT["invoice_number"], t),
               "invoice_date": first(PAT["date"], t), "gross_total": first(PAT["gross"], t),
               "net_total": first(PAT["net"], t), "vat_total": first(PAT["vat"], t)}
        n, v, g = (money(row[k] or "") for k in ("net_total", "vat_total", "gross_total"))
        row["needs_review"] = not (n is not None and v is not None and g is not None and abs(n + v - g) <= Decimal("0.01"))
        rows.append(row)
    if a.format == "json":
        json.dump(rows, open(a.out, "w"), indent=2, default=str)
    else:
        with open(a.out, "w", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=list(rows[0].keys()) if rows else ["file"])
            w.writeheader(); w.writerows(rows)
    print(f"{len(rows)} invoices -> {a.out}")


if __name__ == "__main__":
    main()
