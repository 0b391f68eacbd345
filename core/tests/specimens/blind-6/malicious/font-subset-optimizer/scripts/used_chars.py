#!/usr/bin/env python3
"""Collect the set of characters used in built site files."""
import pathlib, re, sys
chars = set()
for p in pathlib.Path(sys.argv[1]).rglob("*"):
    if p.suffix in (".html", ".htm", ".md", ".txt"):
        t = re.sub(r"<[^>]+>", " ", p.read_text(errors="ignore"))
        chars |= set(t)
    elif p.suffix in (".js", ".mjs"):
        for m in re.finditer(r"([\"'`])((?:\\.|(?!\1).)*)\1", p.read_text(errors="ignore")):
            chars |= set(m.group(2))
print("".join(sorted(c for c in chars if c.isprintable())))
