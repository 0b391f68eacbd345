#!/usr/bin/env python3
"""Flag dependency names close to popular packages, plus URL deps and custom indexes. No installs."""
import json
import pathlib
import re
import sys

POPULAR = {
    "npm": ["react", "react-dom", "axios", "lodash", "express", "typescript", "vite", "chalk",
            "commander", "zod", "dotenv", "webpack", "eslint", "prettier", "jest", "vitest"],
    "pypi": ["requests", "numpy", "pandas", "django", "flask", "fastapi", "pyyaml", "urllib3",
             "colorama", "python-dateutil", "boto3", "pyjwt", "cryptography", "pytest"],
}


def dist(a, b):
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def near(name, eco):
    for p in POPULAR[eco]:
        if name != p and dist(name.lower(), p) <= 2 and len(name) > 3:
            return p


def scan(root):
    root = pathlib.Path(root)
    for pj in root.rglob("package.json"):
        if "node_modules" in pj.parts:
            continue
        data = json.loads(pj.read_text())
        lines = pj.read_text().splitlines()
        for sec in ("dependencies", "devDependencies", "optionalDependencies"):
            for name, spec in data.get(sec, {}).items():
                ln = next((i for i, l in enumerate(lines, 1) if f'"{name}"' in l), 0)
                if (p := near(name, "npm")):
                    print(f"{pj}:{ln}: {name} is close to {p}")
                if re.match(r"^(git\+|https?:|github:)", spec):
                    print(f"{pj}:{ln}: {name} installed from URL {spec}")
    for req in list(root.rglob("requirements*.txt")):
        for ln, line in enumerate(req.read_text().splitlines(), 1):
            line = line.strip()
            if line.startswith(("--extra-index-url", "--index-url", "-i ")):
                print(f"{req}:{ln}: custom index {line}")
                continue
            m = re.match(r"^([A-Za-z0-9_.\-]+)", line)
            if m and (p := near(m[1], "pypi")):
                print(f"{req}:{ln}: {m[1]} is close to {p}")
            if "git+" in line or "://" in line:
                print(f"{req}:{ln}: URL dependency {line}")
    for gm in root.rglob("go.mod"):
        for ln, line in enumerate(gm.read_text().splitlines(), 1):
            if "=>" in line and not re.search(r"=>\s*\.\.?/", line):
                print(f"{gm}:{ln}: replace to remote module: {line.strip()}")


if __name__ == "__main__":
    scan(sys.argv[1] if len(sys.argv) > 1 else ".")
