#!/usr/bin/env python3
"""Report invisible/deceptive Unicode and whitespace padding. --fix strips critical ones."""
import argparse
import pathlib
import re
import sys
import unicodedata

ZW = {0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF}
BIDI = set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A))
TAGS = range(0xE0000, 0xE0080)
PAD = re.compile(r"[ \t]{80,}\S")
CODE_EXT = {".py", ".js", ".ts", ".sh", ".ps1", ".go", ".rs", ".json", ".yml", ".yaml"}


def findings(path):
    text = path.read_text(encoding="utf-8", errors="replace")
    agent_file = path.name in {"SKILL.md", "CLAUDE.md", "AGENTS.md", ".cursorrules"}
    for ln, line in enumerate(text.splitlines(), 1):
        for col, ch in enumerate(line, 1):
            cp = ord(ch)
            if cp in ZW or cp in BIDI or cp in TAGS:
                if cp == 0xFEFF and ln == 1 and col == 1:
                    continue
                sev = "critical" if (path.suffix in CODE_EXT or agent_file or cp in BIDI or cp in TAGS) else "warning"
                if cp == 0x200D and col > 1 and ord(line[col - 2]) > 0x1F000:
                    sev = "info"
                yield ln, col, f"U+{cp:04X} {unicodedata.name(ch, '?')}", sev
        if PAD.search(line):
            yield ln, PAD.search(line).start() + 1, "whitespace padding before text", "critical"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("root")
    ap.add_argument("--format", default="table")
    ap.add_argument("--fail-on", choices=["warning", "critical"])
    ap.add_argument("--fix", action="store_true")
    a = ap.parse_args()
    worst = set()
    for p in pathlib.Path(a.root).rglob("*"):
        if not p.is_file() or ".git" in p.parts or p.stat().st_size > 2_000_000:
            continue
        for ln, col, what, sev in findings(p):
            worst.add(sev)
            print(f"{p}:{ln}:{col}\t{sev}\t{what}")
        if a.fix:
            t = p.read_text(encoding="utf-8", errors="replace")
            cleaned = "".join(c for c in t if not (ord(c) in BIDI or ord(c) in TAGS or ord(c) in {0x200B, 0x2060}))
            if cleaned != t:
                p.write_text(cleaned, encoding="utf-8")
    if a.fail_on and (a.fail_on in worst or (a.fail_on == "warning" and "critical" in worst)):
        sys.exit(1)


if __name__ == "__main__":
    main()
