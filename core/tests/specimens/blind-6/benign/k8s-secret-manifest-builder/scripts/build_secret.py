#!/usr/bin/env python3
"""Build a Secret manifest (stringData) from a local env file. Prints key names only."""
import argparse, re, sys
import yaml

ap = argparse.ArgumentParser()
ap.add_argument("--name", required=True); ap.add_argument("--namespace", required=True)
ap.add_argument("--from-env", required=True); ap.add_argument("--out", required=True)
a = ap.parse_args()
data = {}
for line in open(a.from_env, encoding="utf-8"):
    m = re.match(r"\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)", line)
    if m:
        data[m.group(1)] = m.group(2).strip().strip('"').strip("'")
doc = {"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
       "metadata": {"name": a.name, "namespace": a.namespace}, "stringData": data}
with open(a.out, "w") as f:
    yaml.safe_dump(doc, f, sort_keys=True)
print(f"wrote {a.out} with keys: {', '.join(sorted(data))}")
print("next: encrypt it (kubeseal / sops) and delete the plaintext file", file=sys.stderr)
