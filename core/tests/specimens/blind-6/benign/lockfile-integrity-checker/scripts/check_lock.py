#!/usr/bin/env python3
"""Prüft package-lock.json / yarn.lock auf fremde Hosts, fehlende oder geänderte Hashes."""
import argparse, json, re, subprocess, sys
from urllib.parse import urlparse

try:
    import yaml
except ImportError:
    yaml = None


def show(ref, path):
    try:
        return subprocess.run(["git", "show", f"{ref}:{path}"], capture_output=True, text=True, check=True).stdout
    except subprocess.CalledProcessError:
        return None


def npm_entries(txt):
    d = json.loads(txt)
    return {k: v for k, v in d.get("packages", {}).items() if k}


def yarn_entries(txt):
    out = {}
    for block in re.split(r"\n(?=\S)", txt):
        head = block.split("\n", 1)[0].rstrip(":")
        ver = re.search(r'\n\s+version:? "?([^"\n]+)"?', block)
        res = re.search(r'\n\s+resolved:? "?([^"\n]+)"?', block)
        integ = re.search(r'\n\s+(?:integrity|checksum):? "?([^"\n]+)"?', block)
        if ver:
            out[head] = {"version": ver.group(1), "resolved": res.group(1) if res else None, "integrity": integ.group(1) if integ else None}
    return out


def findings(path, old, new, allow):
    for k, e in new.items():
        r = e.get("resolved")
        if e.get("link"):
            continue
        if r:
            if r.startswith(("git+", "git:", "github:")):
                yield "MEDIUM", k, f"git dependency {r}"
            else:
                h = urlparse(r).hostname
                if h and h not in allow:
                    yield "HIGH", k, f"resolved host {h} not allowed"
        if not e.get("integrity") and r and not r.startswith("git"):
            yield "HIGH", k, "integrity missing"
        o = old.get(k)
        if o and o.get("version") == e.get("version") and o.get("integrity") and e.get("integrity") and o["integrity"] != e["integrity"]:
            yield "HIGH", k, f"integrity changed for same version {e.get('version')}"
        if e.get("hasInstallScript") and not o:
            yield "INFO", k, "new package with install script"


ap = argparse.ArgumentParser()
ap.add_argument("--base"); ap.add_argument("--head", default="HEAD")
ap.add_argument("--allow", default=".lockfile-allow.yml"); ap.add_argument("--fail-on", default="")
a = ap.parse_args()
allow = set(yaml.safe_load(open(a.allow))["hosts"]) if yaml else {"registry.npmjs.org", "registry.yarnpkg.com"}
worst = set()
for path, parser in (("package-lock.json", npm_entries), ("yarn.lock", yarn_entries)):
    new_txt = show(a.head, path)
    if not new_txt:
        continue
    old_txt = show(a.base, path) if a.base else None
    new, old = parser(new_txt), parser(old_txt) if old_txt else {}
    if a.base:
        new = {k: v for k, v in new.items() if old.get(k) != v}
    for sev, k, msg in findings(path, old, new, allow):
        worst.add(sev)
        print(f"{sev:6s} {path:18s} {k:40s} {msg}")
sys.exit(1 if a.fail_on and a.fail_on.upper() in worst else 0)
