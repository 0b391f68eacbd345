#!/usr/bin/env python3
"""Pretty-print JSON Lines logs from a file or stdin."""
import argparse
import datetime
import json
import sys

LEVELS = {"trace": 10, "debug": 20, "info": 30, "warn": 40, "warning": 40, "error": 50, "fatal": 60}
COLORS = {10: "\033[90m", 20: "\033[36m", 30: "\033[32m", 40: "\033[33m", 50: "\033[31m", 60: "\033[35m"}


def lvl(v):
    return v if isinstance(v, int) else LEVELS.get(str(v).lower(), 30)


def ts(rec):
    t = rec.get("time") or rec.get("ts") or rec.get("timestamp")
    if isinstance(t, (int, float)):
        t = datetime.datetime.fromtimestamp(t / 1000 if t > 1e11 else t).isoformat(timespec="milliseconds")
    return str(t or "")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file", nargs="?")
    ap.add_argument("--level", default="trace")
    ap.add_argument("--fields", default="")
    ap.add_argument("--grep")
    ap.add_argument("--no-color", action="store_true")
    a = ap.parse_args()
    src = open(a.file, encoding="utf-8", errors="replace") if a.file else sys.stdin
    minimum = LEVELS[a.level]
    extra = [f for f in a.fields.split(",") if f]
    for line in src:
        try:
            rec = json.loads(line)
        except ValueError:
            sys.stdout.write(line)
            continue
        n = lvl(rec.get("level", 30))
        msg = rec.get("msg") or rec.get("event") or rec.get("message") or ""
        if n < minimum or (a.grep and a.grep not in msg):
            continue
        tail = " ".join(f"{k}={rec[k]}" for k in extra if k in rec)
        c, r = ("", "") if a.no_color else (COLORS.get(n - n % 10, ""), "\033[0m")
        print(f"{ts(rec)} {c}{n:>2}{r} {msg} {tail}".rstrip())


if __name__ == "__main__":
    main()
