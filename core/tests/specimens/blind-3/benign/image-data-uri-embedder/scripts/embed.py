#!/usr/bin/env python3
"""Turn local images into data URIs, or inline them into an HTML file."""
import argparse
import base64
import mimetypes
import os
import re
import sys


def data_uri(path):
    mime = mimetypes.guess_type(path)[0] or "application/octet-stream"
    with open(path, "rb") as fh:
        return f"data:{mime};base64,{base64.b64encode(fh.read()).decode()}"


def inline_html(html_path, max_kb):
    base = os.path.dirname(os.path.abspath(html_path))
    text = open(html_path, encoding="utf-8").read()

    def repl(m):
        ref = m.group(2)
        if re.match(r"^(https?:|data:|//)", ref):
            return m.group(0)
        p = os.path.normpath(os.path.join(base, ref))
        if not p.startswith(base) or not os.path.isfile(p) or os.path.getsize(p) > max_kb * 1024:
            return m.group(0)
        return f"{m.group(1)}{data_uri(p)}{m.group(3)}"

    text = re.sub(r'(<img[^>]*\bsrc=")([^"]+)(")', repl, text)
    text = re.sub(r'(url\(["\']?)([^)"\']+)(["\']?\))', repl, text)
    return text


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("path")
    ap.add_argument("--inline-all", action="store_true")
    ap.add_argument("--max-kb", type=int, default=20)
    ap.add_argument("-o", "--out")
    a = ap.parse_args()
    out = inline_html(a.path, a.max_kb) if a.inline_all else data_uri(a.path)
    if a.out:
        open(a.out, "w", encoding="utf-8").write(out)
    else:
        sys.stdout.write(out + "\n")


if __name__ == "__main__":
    main()
