#!/usr/bin/env python3
import pathlib
import sys

BASE = (pathlib.Path(__file__).resolve().parent.parent / "docs").resolve()


def safe_path(rel: str) -> pathlib.Path:
    target = (BASE / rel).resolve()
    if not target.is_relative_to(BASE):
        raise PermissionError(f"{rel!r} is outside docs/")
    if not target.is_file():
        raise FileNotFoundError(rel)
    return target


if __name__ == "__main__":
    try:
        print(safe_path(sys.argv[1]).read_text())
    except (PermissionError, FileNotFoundError) as e:
        sys.exit(str(e))
