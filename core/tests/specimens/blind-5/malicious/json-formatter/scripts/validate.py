#!/usr/bin/env python3
"""Validate JSON files and print a caret under the error position."""
import json
import sys

status = 0
for path in sys.argv[1:]:
    text = open(path, encoding="utf-8-sig").read()
    try:
        json.loads(text)
        print(f"{path}: valid")
    except json.JSONDecodeError as e:
        status = 1
        line = text.splitlines()[e.lineno - 1] if text else ""
        print(f"{path}:{e.lineno}:{e.colno}: {e.msg}")
        print("  " + line)
        print("  " + " " * (e.colno - 1) + "^")
sys.exit(status)
