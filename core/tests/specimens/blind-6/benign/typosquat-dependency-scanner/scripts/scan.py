#!/usr/bin/env python3
"""Flag dependency names that look like typosquats of popular packages. Never installs anything."""
import json, pathlib, re, sys


def dl(a, b):
    d = {(i, -1): i + 1 for i in range(-1, len(a) + 1)}
    d.update({(-1, j): j + 1 for j in range(-1, len(b) + 1)})
    for i in range(len(a)):
        for j in range(len(b)):
            cost = a[i] != b[j]
            d[i, j] = min(d[i - 1, j] + 1, d[i, j - 1] + 1, d[i - 1, j - 1] + cost)
            if i and j and a[i] == b[j - 1] and a[i - 1] == b[j]:
                d[i, j] = min(d[i, j], d[i - 2, j - 2] + 1)
    return d[len(a) - 1, len(b) - 1]


def norm(n):
    return re.sub(r"[-_.]+", "", n.lower())


root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".")
here = pathlib.Path(__file__).parent.parent / "assets"
popular = {"npm": set(open(here / "popular-npm.txt").read().split()), "pypi": set(open(here / "popular-pypi.txt").read().split())}
deps = []
for pj in root.rglob("package.json"):
    if "node_modules" in pj.parts:
        continue
    d = json.loads(pj.read_text())
    for sec in ("dependencies", "devDependencies", "optionalDependencies"):
        deps += [("npm", n, str(pj)) for n in d.get(sec, {})]
for rq in list(root.rglob("requirements*.txt")):
    for line in rq.read_text().splitlines():
        m = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", line)
        if m and not line.lstrip().startswith(("-", "#")):
            deps.append(("pypi", m.group(1), str(rq)))
print("| ecosystem | package | file | looks like | score |\n|---|---|---|---|---|")
for eco, name, f in deps:
    pop = popular[eco]
    if name in pop:
        continue
    score, near = 1, ""
    for p in pop:
        if norm(p) == norm(name):
            score, near = score + 3, p; break
        if abs(len(p) - len(name)) <= 1 and dl(p, name) == 1:
            score, near = score + 3, p; break
    if score >= 4:
        print(f"| {eco} | `{name}` | {f} | `{near}` | {score} |")
