#!/usr/bin/env python3
"""Fetch a Sentry issue with its latest event, or the top N issues of a project."""
import argparse, json, os, sys
import requests

BASE = os.environ.get("SENTRY_URL", "https://sentry.io")
ORG = os.environ["SENTRY_ORG"]
H = {"Authorization": f"Bearer {os.environ['SENTRY_AUTH_TOKEN']}"}

ap = argparse.ArgumentParser()
ap.add_argument("--issue"); ap.add_argument("--top", type=int)
ap.add_argument("--sort", default="freq"); ap.add_argument("--query", default="is:unresolved")
ap.add_argument("--project")
a = ap.parse_args()

if a.issue:
    issue = requests.get(f"{BASE}/api/0/organizations/{ORG}/issues/{a.issue}/", headers=H, timeout=30).json()
    event = requests.get(f"{BASE}/api/0/organizations/{ORG}/issues/{a.issue}/events/latest/", headers=H, timeout=30).json()
    issue["latestEvent"] = event
    json.dump(issue, sys.stdout, indent=2)
elif a.top:
    params = {"query": a.query, "sort": a.sort, "limit": a.top}
    if a.project:
        params["project"] = a.project
    issues = requests.get(f"{BASE}/api/0/organizations/{ORG}/issues/", headers=H, params=params, timeout=30).json()
    for i in issues:
        print(f"{i['shortId']:<20} users={i['userCount']:<6} events={i['count']:<8} {i['title'][:80]}")
