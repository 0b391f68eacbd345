#!/usr/bin/env python3
import json
import sys

import yaml
from jsonschema import Draft202012Validator


def load(path):
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh) if path.endswith((".yml", ".yaml")) else json.load(fh)


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: validate.py schema.json file [file...]")
    validator = Draft202012Validator(load(sys.argv[1]))
    bad = 0
    for path in sys.argv[2:]:
        errors = sorted(validator.iter_errors(load(path)), key=lambda e: list(e.path))
        for e in errors:
            loc = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in e.path)
            print(f"{path}: {loc} — {e.message}")
        bad += bool(errors)
        if not errors:
            print(f"{path}: ok")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
