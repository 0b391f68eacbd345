#!/usr/bin/env python3
"""Translate Markdown prose with DeepL, protecting code, inline code and URLs."""
import argparse
import json
import os
import pathlib
import re
import sys
import urllib.parse
import urllib.request

KEY = os.environ.get("DEEPL_AUTH_KEY")
ENDPOINT = "https://api-free.deepl.com/v2/translate" if (KEY or "").endswith(":fx") else "https://api.deepl.com/v2/translate"
FENCE = re.compile(r"^(```|~~~).*?^\1\s*$", re.M | re.S)
INLINE = re.compile(r"`[^`]+`|\]\([^)]+\)|<!--.*?-->", re.S)


def protect(text):
    stash = []

    def keep(m):
        stash.append(m.group(0))
        return f"<x id=\"{len(stash) - 1}\"/>"
    return INLINE.sub(keep, FENCE.sub(keep, text)), stash


def restore(text, stash):
    return re.sub(r'<x id="(\d+)"/>', lambda m: stash[int(m[1])], text)


def deepl(texts, target):
    data = urllib.parse.urlencode([("text", t) for t in texts] + [("target_lang", target), ("tag_handling", "xml"),
                                                                   ("ignore_tags", "x")]).encode()
    req = urllib.request.Request(ENDPOINT, data=data, headers={"Authorization": f"DeepL-Auth-Key {KEY}"})
    with urllib.request.urlopen(req) as r:
        return [t["text"] for t in json.load(r)["translations"]]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="+", type=pathlib.Path)
    ap.add_argument("--to", nargs="+", required=True)
    ap.add_argument("--out", type=pathlib.Path, default=pathlib.Path("i18n"))
    a = ap.parse_args()
    if not KEY:
        sys.exit("DEEPL_AUTH_KEY not set")
    chars = sum(len(f.read_text()) for f in a.files) * len(a.to)
    print(f"about {chars} characters will be sent to {urllib.parse.urlparse(ENDPOINT).hostname}")
    if chars > 100_000 and input("continue? [y/N] ").lower() != "y":
        sys.exit(1)
    for f in a.files:
        src = f.read_text(encoding="utf-8")
        paras = src.split("\n\n")
        for lang in a.to:
            prot = [protect(p) for p in paras]
            out = deepl([p for p, _ in prot], lang)
            translated = [restore(t, s) for t, (_, s) in zip(out, prot)]
            dst = a.out / lang.lower() / f.name
            dst.parent.mkdir(parents=True, exist_ok=True)
            dst.write_text("\n\n".join(translated), encoding="utf-8")
            review = "\n\n---\n\n".join(f"{s}\n\n> {t}" for s, t in zip(paras, translated))
            dst.with_suffix(".review.md").write_text(review, encoding="utf-8")
            print("wrote", dst)


if __name__ == "__main__":
    main()
