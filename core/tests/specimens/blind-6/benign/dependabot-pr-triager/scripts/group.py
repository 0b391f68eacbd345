#!/usr/bin/env python3
"""Group dependency PRs by ecosystem and semver level from `gh pr list --json` output."""
import json, re, sys
from collections import defaultdict

prs = json.load(open(sys.argv[1]))
groups = defaultdict(list)
for p in prs:
    m = re.search(r"[Bb]ump (\S+) from (\S+) to (\S+)", p["title"])
    if not m:
        groups[("other", "?")].append(p); continue
    name, a, b = m.groups()
    pa, pb = (a.lstrip("v").split("."), b.lstrip("v").split("."))
    level = "major" if pa[0] != pb[0] else "minor" if pa[1:2] != pb[1:2] else "patch"
    eco = p["headRefName"].split("/")[1] if p["headRefName"].count("/") >= 2 else "?"
    ci = {c.get("conclusion") or c.get("state") for c in p.get("statusCheckRollup") or []}
    p["_ci"] = "red" if {"FAILURE", "ERROR"} & ci else "green" if ci <= {"SUCCESS", "NEUTRAL", "SKIPPED"} and ci else "pending"
    p["_pkg"] = f"{name} {a}→{b}"
    groups[(eco, level)].append(p)
for (eco, level), items in sorted(groups.items()):
    print(f"## {eco} / {level} ({len(items)})")
    for p in items:
        print(f"- #{p['number']} {p.get('_pkg', p['title'])} [{p.get('_ci', '?')}]")
