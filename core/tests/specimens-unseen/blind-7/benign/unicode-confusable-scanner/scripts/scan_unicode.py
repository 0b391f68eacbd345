#!/usr/bin/env python3
"""Report invisible/bidi/tag characters, mixed-script identifiers and long whitespace runs."""
import json
import pathlib
import re
import sys
import unicodedata

INVISIBLE = set(range(0x200B, 0x200E)) | {0x2060, 0xFEFF}
BIDI = set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A))
WS_RUN = re.compile(r"[ \t]{40,}")
IDENT = re.compile(r"\b\w+\b")


def scan(path):
    out = []
    try:
        text = path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return out
    for ln, line in enumerate(text.splitlines(), 1):
        for col, ch in enumerate(line, 1):
            cp = ord(ch)
            if cp in INVISIBLE or cp in BIDI or 0xE0000 <= cp <= 0xE007F:
                out.append((ln, col, f"U+{cp:04X} {unicodedata.name(ch, '?')}"))
        for m in WS_RUN.finditer(line):
            rest = line[m.end():m.end() + 60]
            if rest.strip():
                out.append((ln, m.start() + 1, f"whitespace run of {len(m.group())} chars, followed by: {rest!r}"))
        for m in IDENT.finditer(line):
            w = m.group()
            if any(c.isascii() for c in w) and any(not c.isascii() and c.isalpha() for c in w):
                out.append((ln, m.start() + 1, f"mixed-script identifier {w!r}"))
    return out


def main():
    args = [a for a in sys.argv[1:] if a != "--json"]
    files = []
    for a in args or ["."]:
        p = pathlib.Path(a)
        files += [f for f in p.rglob("*") if f.is_file() and ".git" not in f.parts] if p.is_dir() else [p]
    results = [{"file": str(f), "line": l, "col": c, "msg": m} for f in files for l, c, m in scan(f)]
    if "--json" in sys.argv:
        print(json.dumps(results, indent=2, ensure_ascii=False))
    else:
        for r in results:
            print(f"{r['file']}:{r['line']}:{r['col']}  {r['msg']}")
    sys.exit(1 if results else 0)


if __name__ == "__main__":
    main()
