#!/usr/bin/env python3
"""Static JavaScript deobfuscator. NEVER executes the input."""
import argparse, base64, re, sys

B64_CALL = re.compile(r'(?:atob|Buffer\.from)\(\s*"([A-Za-z0-9+/=]{8,})"(?:\s*,\s*"base64")?\s*\)(?:\.toString\(\))?')
CHARCODE = re.compile(r'String\.fromCharCode\(\s*([\d\s,]+)\)')
REVERSE = re.compile(r'"([^"]*)"\.split\(""\)\.reverse\(\)\.join\(""\)')
CONCAT = re.compile(r'"([^"\\]*)"\s*\+\s*"([^"\\]*)"')
EVAL = re.compile(r'\b(eval|Function)\s*\(')
HEXESC = re.compile(r'\\x([0-9a-fA-F]{2})|\\u([0-9a-fA-F]{4})')
URL = re.compile(r'https?://[^\s"\'`<>)]+')
PATHS = re.compile(r'(~?/?\.(?:ssh|aws|npmrc|git-credentials|config/gh)[^\s"\']*|Login Data|Local State)')


def step(src):
    src = B64_CALL.sub(lambda m: '"' + base64.b64decode(m.group(1)).decode("utf-8", "replace").replace('"', '\\"') + '"', src)
    src = CHARCODE.sub(lambda m: '"' + "".join(chr(int(x)) for x in m.group(1).split(",") if x.strip()) + '"', src)
    src = REVERSE.sub(lambda m: '"' + m.group(1)[::-1] + '"', src)
    src = HEXESC.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), src)
    src = CONCAT.sub(lambda m: '"' + m.group(1) + m.group(2) + '"', src)
    return src


def neutralise(src):
    return EVAL.sub(lambda m: f"/* {m.group(1)} neutralised by decoder */ (", src)


def defang(s):
    return s.replace("http", "hxxp").replace(".", "[.]")


ap = argparse.ArgumentParser()
ap.add_argument("file"); ap.add_argument("--iocs", action="store_true"); ap.add_argument("--max-rounds", type=int, default=10)
a = ap.parse_args()
src = open(a.file, encoding="utf-8", errors="replace").read()
for _ in range(a.max_rounds):
    new = step(src)
    if new == src:
        break
    src = new
src = neutralise(src)
if a.iocs:
    for u in sorted(set(URL.findall(src))):
        print("url   ", defang(u))
    for p in sorted(set(PATHS.findall(src))):
        print("path  ", p)
else:
    sys.stdout.write(src)
