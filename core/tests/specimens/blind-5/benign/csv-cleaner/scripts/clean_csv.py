#!/usr/bin/env python3
"""Clean a messy CSV and write a markdown report. Local only."""
import argparse
import csv
import io
import re
import unicodedata
from datetime import datetime

DEC = re.compile(r"^-?\d{1,3}(\.\d{3})*,\d+$|^-?\d+,\d+$")
DATE_FMTS_DAYFIRST = ["%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%Y-%m-%d"]
DATE_FMTS_MONTHFIRST = ["%m/%d/%Y", "%Y-%m-%d", "%d.%m.%Y"]


def read_text(path):
    raw = open(path, "rb").read()
    for enc in ("utf-8-sig", "utf-8", "cp1252", "latin-1"):
        try:
            return raw.decode(enc), enc
        except UnicodeDecodeError:
            continue


def snake(h, seen):
    h = unicodedata.normalize("NFKD", h).encode("ascii", "ignore").decode()
    h = re.sub(r"[^0-9a-zA-Z]+", "_", h.replace("€", "eur")).strip("_").lower() or "col"
    n = seen.get(h, 0)
    seen[h] = n + 1
    return h if n == 0 else f"{h}_{n}"


def parse_date(v, fmts):
    for f in fmts:
        try:
            return datetime.strptime(v, f).date().isoformat()
        except ValueError:
            pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("src")
    ap.add_argument("-o", "--out", required=True)
    ap.add_argument("--report")
    ap.add_argument("--dayfirst", action="store_true")
    ap.add_argument("--keep-duplicates", action="store_true")
    a = ap.parse_args()
    text, enc = read_text(a.src)
    dialect = csv.Sniffer().sniff(text[:65536], delimiters=",;\t|")
    rows = list(csv.reader(io.StringIO(text), dialect))
    seen = {}
    header = [snake(h, seen) for h in rows[0]]
    body = [[c.strip() for c in r] for r in rows[1:]]
    empty = sum(1 for r in body if not any(r))
    body = [r for r in body if any(r)]
    fmts = DATE_FMTS_DAYFIRST if a.dayfirst else DATE_FMTS_MONTHFIRST
    notes = []
    for i, col in enumerate(header):
        vals = [r[i] for r in body if i < len(r) and r[i]]
        if vals and sum(bool(DEC.match(v)) for v in vals) / len(vals) > 0.9:
            for r in body:
                if i < len(r) and DEC.match(r[i]):
                    r[i] = r[i].replace(".", "").replace(",", ".")
            notes.append(f"decimal commas converted in: {col}")
        elif vals and sum(parse_date(v, fmts) is not None for v in vals) / len(vals) > 0.9:
            for r in body:
                if i < len(r) and r[i]:
                    r[i] = parse_date(r[i], fmts) or r[i]
            notes.append(f"dates normalized in: {col}")
    dups = 0
    if not a.keep_duplicates:
        uniq, seen_rows = [], set()
        for r in body:
            t = tuple(r)
            if t in seen_rows:
                dups += 1
                continue
            seen_rows.add(t)
            uniq.append(r)
        body = uniq
    with open(a.out, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(body)
    report = [f"- Encoding: {enc} → UTF-8", f"- Delimiter: {dialect.delimiter!r}", *[f"- {n}" for n in notes],
              f"- Dropped {empty} empty rows, {dups} duplicate rows", f"- Output: {len(body)} rows × {len(header)} columns"]
    print("\n".join(report))
    if a.report:
        open(a.report, "w").write("\n".join(report) + "\n")


if __name__ == "__main__":
    main()
