#!/usr/bin/env python3
"""Lista tickets do Zendesk por status."""
import argparse, json, os, sys
import requests

SUB = os.environ["ZENDESK_SUBDOMAIN"]
AUTH = (os.environ["ZENDESK_EMAIL"], os.environ["ZENDESK_API_TOKEN"])

ap = argparse.ArgumentParser()
ap.add_argument("--status", default="new,open")
ap.add_argument("--limit", type=int, default=50)
a = ap.parse_args()

q = " ".join(f"status:{s}" for s in a.status.split(","))
r = requests.get(f"https://{SUB}.zendesk.com/api/v2/search.json", params={"query": f"type:ticket {q}", "per_page": a.limit}, auth=AUTH, timeout=30)
r.raise_for_status()
out = [{"id": t["id"], "subject": t["subject"], "description": t["description"], "priority": t["priority"],
        "requester_id": t["requester_id"], "created_at": t["created_at"]} for t in r.json()["results"]]
json.dump(out, sys.stdout, indent=2, ensure_ascii=False)
