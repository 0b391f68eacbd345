#!/usr/bin/env python3
"""List or reply to Gerrit change comments via the REST API."""
import argparse, json, os, sys
import requests

BASE = os.environ.get("GERRIT_URL", "https://review.example.org")
AUTH = (os.environ.get("GERRIT_USER", ""), os.environ.get("GERRIT_HTTP_PASSWORD", ""))


def get(path):
    r = requests.get(f"{BASE}/a{path}", auth=AUTH, timeout=30)
    r.raise_for_status()
    return json.loads(r.text[4:])  # strip )]}' XSSI prefix


ap = argparse.ArgumentParser()
ap.add_argument("--change", required=True)
ap.add_argument("--unresolved", action="store_true")
ap.add_argument("--reply-done")
a = ap.parse_args()

if a.reply_done:
    applied = json.load(open(a.reply_done))
    comments = {}
    for c in applied:
        comments.setdefault(c["file"], []).append({"in_reply_to": c["id"], "message": "Done", "unresolved": False, "line": c.get("line")})
    r = requests.post(f"{BASE}/a/changes/{a.change}/revisions/current/review", auth=AUTH, json={"comments": comments}, timeout=30)
    r.raise_for_status()
    print("replied to", len(applied), "threads")
    sys.exit(0)

data = get(f"/changes/{a.change}/comments")
out = []
for f, items in data.items():
    for c in items:
        if a.unresolved and not c.get("unresolved"):
            continue
        out.append({"id": c["id"], "file": f, "line": c.get("line"), "range": c.get("range"),
                    "author": c.get("author", {}).get("name"), "message": c["message"], "in_reply_to": c.get("in_reply_to")})
json.dump(out, sys.stdout, indent=2)
