#!/usr/bin/env python3
"""List declared dependencies and their sources from common manifests. Read-only."""
import json, pathlib, re, sys
try:
    import tomllib
except ImportError:
    import tomli as tomllib

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".")
rows = []
pj = root / "package.json"
if pj.exists():
    d = json.loads(pj.read_text())
    for sec in ("dependencies", "devDependencies", "optionalDependencies"):
        for n, s in d.get(sec, {}).items():
            rows.append(("npm", n, s, "git" if s.startswith(("git", "http")) else "registry"))
for req in root.glob("requirements*.txt"):
    for line in req.read_text().splitlines():
        line = line.split("#")[0].strip()
        if not line or line.startswith("-"):
            continue
        m = re.match(r"([A-Za-z0-9_.\-]+)\s*(.*)", line)
        rows.append(("pypi", m.group(1), m.group(2), "url" if "@" in line and "://" in line else "registry"))
pp = root / "pyproject.toml"
if pp.exists():
    d = tomllib.loads(pp.read_text())
    for dep in d.get("project", {}).get("dependencies", []):
        rows.append(("pypi", re.split(r"[<>=!~ \[;@]", dep)[0], dep, "url" if "://" in dep else "registry"))
gm = root / "go.mod"
if gm.exists():
    for line in gm.read_text().splitlines():
        if "=>" in line:
            rows.append(("go", line.split("=>")[0].strip(), line.split("=>")[1].strip(), "replace"))
for r in rows:
    print(",".join(r))
