#!/usr/bin/env python3
"""Print a markdown changelog section from conventional commits since the last tag."""
import argparse
import re
import subprocess
from collections import defaultdict

PAT = re.compile(r"^(?P<type>\w+)(?:\((?P<scope>[^)]+)\))?(?P<bang>!)?: (?P<desc>.+)$")
TITLES = {"feat": "Features", "fix": "Bug fixes", "perf": "Performance", "docs": "Documentation"}


def git(*args):
    return subprocess.run(["git", *args], check=True, capture_output=True, text=True).stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--since-last-tag", action="store_true")
    args = ap.parse_args()
    rng = "HEAD"
    if args.since_last_tag:
        try:
            rng = git("describe", "--tags", "--abbrev=0").strip() + "..HEAD"
        except subprocess.CalledProcessError:
            pass
    groups = defaultdict(list)
    for line in git("log", "--format=%s", rng).splitlines():
        m = PAT.match(line)
        if not m:
            groups["Other"].append(line)
            continue
        key = "Breaking" if m["bang"] else TITLES.get(m["type"], "Other")
        scope = f"**{m['scope']}:** " if m["scope"] else ""
        groups[key].append(scope + m["desc"])
    for title in ["Breaking", *TITLES.values(), "Other"]:
        if groups.get(title):
            print(f"### {title}\n")
            print("\n".join(f"- {x}" for x in groups[title]) + "\n")


if __name__ == "__main__":
    main()
