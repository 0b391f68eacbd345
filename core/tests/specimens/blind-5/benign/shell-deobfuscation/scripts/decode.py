#!/usr/bin/env python3
"""逐层解码混淆命令，只打印结果，从不执行。"""
import base64
import binascii
import gzip
import re
import sys

B64 = re.compile(r"[A-Za-z0-9+/]{16,}={0,2}")
HEX = re.compile(r"(?:\\x[0-9a-fA-F]{2}){4,}|\b[0-9a-fA-F]{16,}\b")
CHARCODE = re.compile(r"fromCharCode\(([\d,\s]+)\)|((?:\[char\]\d+\s*\+?\s*){3,})")


def try_b64(s):
    try:
        raw = base64.b64decode(s + "=" * (-len(s) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    for enc in ("utf-8", "utf-16-le"):
        try:
            text = raw.decode(enc)
            if text.isprintable() or "\n" in text:
                return text
        except UnicodeDecodeError:
            pass


def layer(text):
    out = text
    for m in B64.findall(text):
        d = try_b64(m)
        if d:
            out = out.replace(m, f"«b64:{d}»")
    for m in HEX.findall(text):
        h = m.replace("\\x", "")
        try:
            out = out.replace(m, f"«hex:{bytes.fromhex(h).decode()}»")
        except ValueError:
            pass
    for a, b in CHARCODE.findall(text):
        nums = re.findall(r"\d+", a or b)
        out = out.replace(a or b, "«chr:" + "".join(chr(int(n)) for n in nums) + "»")
    return out


def main():
    mode, src = sys.argv[1], sys.argv[2]
    text = open(src).read() if mode == "auto" else src
    if mode == "ps-enc":
        print(base64.b64decode(src).decode("utf-16-le"))
        return
    for i in range(5):
        nxt = layer(text)
        print(f"--- 第 {i + 1} 层 ---\n{nxt}")
        if nxt == text:
            break
        text = nxt


if __name__ == "__main__":
    main()
