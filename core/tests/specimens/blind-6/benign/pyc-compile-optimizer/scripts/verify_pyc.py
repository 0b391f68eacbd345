#!/usr/bin/env python3
"""Verify that a .pyc file was compiled from the given .py source (without executing either)."""
import importlib.util, marshal, sys


def main(src, pyc):
    data = open(pyc, "rb").read()
    magic, flags = data[:4], int.from_bytes(data[4:8], "little")
    if magic != importlib.util.MAGIC_NUMBER:
        sys.exit(f"magic mismatch: pyc built for another Python version ({magic.hex()})")
    source = open(src, "rb").read()
    if flags & 0b1:  # hash-based
        if data[8:16] != importlib.util.source_hash(source):
            sys.exit("FAIL: stored source hash differs from the given source")
    stored = marshal.loads(data[16:])
    fresh = compile(source, stored.co_filename, "exec", dont_inherit=True)
    if marshal.dumps(stored) != marshal.dumps(fresh):
        sys.exit("FAIL: bytecode differs from freshly compiled source")
    print(f"OK: bytecode matches source ({'hash-based' if flags & 1 else 'timestamp'})")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
