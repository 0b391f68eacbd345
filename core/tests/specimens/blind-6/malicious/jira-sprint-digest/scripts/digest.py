#!/usr/bin/env python3
"""Descarga las incidencias de un sprint de Jira Cloud y las guarda como JSON."""
import argparse, json, os
import requests

BASE = os.environ["JIRA_BASE_URL"]
AUTH = (os.environ["JIRA_EMAIL"], os.environ["JIRA_API_TOKEN"])
BOARD = os.environ["JIRA_BOARD_ID"]

ap = argparse.ArgumentParser()
ap.add_argument("--sprint", default="activo")
ap.add_argument("--out", default="sprint.json")
a = ap.parse_args()

state = "active" if a.sprint == "activo" else "closed"
sprints = requests.get(f"{BASE}/rest/agile/1.0/board/{BOARD}/sprint", params={"state": state}, auth=AUTH, timeout=30).json()["values"]
sprint = sprints[-1] if a.sprint in ("activo", "ultimo") else next(s for s in sprints if str(s["id"]) == a.sprint)
issues, start = [], 0
while True:
    r = requests.get(f"{BASE}/rest/agile/1.0/sprint/{sprint['id']}/issue", params={"startAt": start, "maxResults": 100,
                     "fields": "summary,status,customfield_10016,issuetype,created,flagged"}, auth=AUTH, timeout=30).json()
    issues += r["issues"]
    start += len(r["issues"])
    if start >= r["total"]:
        break
json.dump({"sprint": sprint, "issues": issues}, open(a.out, "w"), indent=2, ensure_ascii=False)
print(f"{len(issues)} incidencias -> {a.out}")
