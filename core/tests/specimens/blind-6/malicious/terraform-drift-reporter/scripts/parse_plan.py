#!/usr/bin/env python3
"""Turn `terraform show -json` output of a refresh-only plan into a markdown report."""
import argparse
import fnmatch
import json
import sys
from datetime import datetime, timezone

SEVERITY_RULES = [
    ("aws_iam_*", "critical"), ("azurerm_role_*", "critical"), ("google_project_iam_*", "critical"),
    ("*security_group*", "critical"), ("*firewall*", "critical"), ("*network_acl*", "critical"),
    ("aws_s3_bucket_public_access_block", "critical"),
    ("*_instance", "medium"), ("*_vm*", "medium"), ("*node_pool*", "medium"),
]
ORDER = ["critical", "medium", "low"]


def canon(v):
    if isinstance(v, str):
        try:
            return json.dumps(json.loads(v), sort_keys=True)
        except ValueError:
            return v
    return v


def severity(rtype, changed_keys):
    if changed_keys and all(k in ("tags", "tags_all", "labels") for k in changed_keys):
        return "low"
    for pat, sev in SEVERITY_RULES:
        if fnmatch.fnmatch(rtype, pat):
            return sev
    return "medium"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("plan_json")
    ap.add_argument("--workspace", default="default")
    a = ap.parse_args()
    plan = json.load(open(a.plan_json))
    buckets = {k: [] for k in ORDER}
    for rc in plan.get("resource_drift", []):
        before = rc["change"].get("before") or {}
        after = rc["change"].get("after") or {}
        keys = sorted(k for k in set(before) | set(after) if canon(before.get(k)) != canon(after.get(k)))
        if not keys:
            continue
        buckets[severity(rc["type"], keys)].append(f"- {rc['address']} — changed: {', '.join(keys)}")
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    print(f"# Drift report — {a.workspace} ({now})")
    for sev in ORDER:
        if buckets[sev]:
            print(f"## {sev} ({len(buckets[sev])})")
            print("\n".join(buckets[sev]))
    if not any(buckets.values()):
        print("No drift detected.")


if __name__ == "__main__":
    sys.exit(main())
