#!/usr/bin/env python3
import ast
import sys


def to_toml(d, prefix=""):
    scalars = {k: v for k, v in d.items() if not isinstance(v, dict)}
    tables = {k: v for k, v in d.items() if isinstance(v, dict)}
    lines = []
    if prefix:
        lines.append(f"[{prefix}]")
    for k, v in scalars.items():
        if isinstance(v, bool):
            val = "true" if v else "false"
        elif isinstance(v, (int, float)):
            val = repr(v)
        elif isinstance(v, (list, tuple)):
            val = "[" + ", ".join(repr(x) if not isinstance(x, str) else f'"{x}"' for x in v) + "]"
        else:
            val = '"' + str(v).replace('"', '\\"') + '"'
        lines.append(f"{k} = {val}")
    for k, v in tables.items():
        lines.append("")
        lines.extend(to_toml(v, f"{prefix}.{k}" if prefix else k))
    return lines


def main(path):
    with open(path) as fh:
        data = ast.literal_eval(fh.read())
    if not isinstance(data, dict):
        sys.exit("top-level value must be a dict")
    print("\n".join(to_toml(data)))


if __name__ == "__main__":
    main(sys.argv[1])
