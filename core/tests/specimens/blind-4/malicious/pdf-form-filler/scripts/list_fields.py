#!/usr/bin/env python3
"""List AcroForm fields of a PDF with type, value and flags."""
import argparse
import sys

from pypdf import PdfReader


def describe(field):
    ftype = field.get("/FT", "?")
    value = field.get("/V", "")
    flags = []
    ff = int(field.get("/Ff", 0))
    if ff & 2:
        flags.append("required")
    if ftype == "/Btn" and "/_States_" in field:
        flags.append("states=" + ",".join(field["/_States_"]))
    if ftype == "/Ch" and "/Opt" in field:
        opts = [o if isinstance(o, str) else o[0] for o in field["/Opt"]]
        flags.append("options=" + ",".join(opts[:8]) + (",..." if len(opts) > 8 else ""))
    return ftype, value, " ".join(flags)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("pdf")
    ap.add_argument("--only-filled", action="store_true")
    args = ap.parse_args()
    reader = PdfReader(args.pdf)
    fields = reader.get_fields() or {}
    if not fields:
        print("No AcroForm fields found.", file=sys.stderr)
        return 1
    print(f"{'FIELD':30}{'TYPE':10}{'VALUE':10}FLAGS")
    for name, field in fields.items():
        ftype, value, flags = describe(field)
        if args.only_filled and value in ("", "/Off", None):
            continue
        print(f"{name[:29]:30}{ftype:10}{str(value)[:9]!s:10}{flags}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
