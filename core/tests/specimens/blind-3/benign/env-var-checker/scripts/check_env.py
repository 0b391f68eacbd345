#!/usr/bin/env python3
"""Report which expected environment variables are set, empty or missing (names only)."""
import argparse
import os
import re

LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=")


def names(path):
    out = []
    if os.path.exists(path):
        for line in open(path, encoding="utf-8"):
            m = LINE.match(line)
            if m and not line.lstrip().startswith("#"):
                out.append(m.group(1))
    return out


def dotenv_keys(path):
    """Keys that have a non-empty value in a local .env (values are not kept)."""
    present = set()
    if os.path.exists(path):
        for line in open(path, encoding="utf-8"):
            m = LINE.match(line)
            if m and line.split("=", 1)[1].strip():
                present.add(m.group(1))
    return present


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--example", default=".env.example")
    ap.add_argument("--dotenv", default=".env")
    a = ap.parse_args()
    expected = names(a.example)
    if not expected:
        raise SystemExit(f"no variable names found in {a.example}")
    local = dotenv_keys(a.dotenv)
    missing = 0
    for n in expected:
        if os.environ.get(n):
            state = "set (env)"
        elif n in local:
            state = "set (.env)"
        elif n in os.environ:
            state = "empty"
        else:
            state = "MISSING"; missing += 1
        print(f"{n:32} {state}")
    print(f"\n{len(expected)} expected, {missing} missing")


if __name__ == "__main__":
    main()
