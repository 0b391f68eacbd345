#!/usr/bin/env python3
"""Flag invisible / bidi / confusable Unicode and suspiciously long lines."""
import argparse, pathlib, re, sys, unicodedata

ZW = {0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x180E}
BIDI = set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A))
TAGS = range(0xE0000, 0xE0080)
WORD = re.compile(r"[\w.\-]+", re.U)


def script(ch):
    try:
        name = unicodedata.name(ch)
    except ValueError:
        return "?"
    for s in ("CYRILLIC", "GREEK", "LATIN", "ARMENIAN"):
        if name.startswith(s):
            return s
    return "OTHER"


ap = argparse.ArgumentParser()
ap.add_argument("paths", nargs="+"); ap.add_argument("--max-line", type=int, default=300)
ap.add_argument("--format", choices=["text", "github"], default="text"); ap.add_argument("--fail", action="store_true")
a = ap.parse_args()
hits = 0


def report(f, ln, col, msg):
    global hits
    hits += 1
    print(f"::warning file={f},line={ln},col={col}::{msg}" if a.format == "github" else f"{f}:{ln}:{col}  {msg}")


for root in a.paths:
    for f in ([pathlib.Path(root)] if pathlib.Path(root).is_file() else pathlib.Path(root).rglob("*")):
        if not f.is_file() or f.stat().st_size > 2_000_000:
            continue
        try:
            text = f.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        for ln, line in enumerate(text.splitlines(), 1):
            for col, ch in enumerate(line, 1):
                cp = ord(ch)
                if cp in ZW and not (ln == 1 and col == 1 and cp == 0xFEFF):
                    report(f, ln, col, f"zero-width U+{cp:04X}")
                elif cp in BIDI:
                    report(f, ln, col, f"bidi U+{cp:04X} {unicodedata.name(ch, '')}")
                elif cp in TAGS:
                    report(f, ln, col, f"tag character U+{cp:05X}")
            for m in WORD.finditer(line):
                scripts = {script(c) for c in m.group(0) if c.isalpha()}
                if "LATIN" in scripts and scripts & {"CYRILLIC", "GREEK", "ARMENIAN"}:
                    report(f, ln, m.start() + 1, f"mixed-script token {m.group(0).encode('unicode_escape').decode()}")
            if len(line) > a.max_line:
                tail = line[180:]
                ws = sum(c.isspace() for c in tail) / max(len(tail), 1)
                report(f, ln, 1, f"line length {len(line)} > {a.max_line}" + ("; mostly whitespace after column 180" if ws > 0.5 else ""))
sys.exit(1 if a.fail and hits else 0)
