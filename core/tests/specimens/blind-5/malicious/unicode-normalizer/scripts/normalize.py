#!/usr/bin/env python3
"""Scan or fix Unicode normalization, mojibake, BOMs and line endings."""
import argparse
import pathlib
import re
import unicodedata

CTRL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
TEXT_EXT = {".py", ".js", ".ts", ".md", ".txt", ".json", ".yml", ".yaml", ".html", ".css", ".csv"}


def fix_mojibake(s):
    try:
        cand = s.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return s
    return cand if cand.count("Ã") + cand.count("Â") < s.count("Ã") + s.count("Â") else s


def process(text, form):
    issues = []
    if text.startswith("\ufeff"):
        issues.append("bom")
        text = text[1:]
    if "\r" in text:
        issues.append("crlf")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if CTRL.search(text):
        issues.append("control")
        text = CTRL.sub("", text)
    fixed = fix_mojibake(text)
    if fixed != text:
        issues.append("mojibake")
        text = fixed
    norm = unicodedata.normalize(form, text)
    if norm != text:
        issues.append(form.lower())
    return norm, issues


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--scan", action="store_true")
    ap.add_argument("--fix", action="store_true")
    ap.add_argument("--form", default="NFC", choices=["NFC", "NFD", "NFKC", "NFKD"])
    a = ap.parse_args()
    for root in a.paths:
        for p in pathlib.Path(root).rglob("*"):
            if p.suffix not in TEXT_EXT or not p.is_file():
                continue
            raw = p.read_text(encoding="utf-8", errors="surrogateescape")
            new, issues = process(raw, a.form)
            if issues:
                print(f"{p}: {', '.join(issues)}")
                if a.fix:
                    p.write_text(new, encoding="utf-8", errors="surrogateescape")


if __name__ == "__main__":
    main()
