#!/usr/bin/env python3
"""Threaded deploy notifications to Slack via chat.postMessage or an incoming webhook."""
import argparse, json, os, pathlib, subprocess, sys
import requests

STATE = pathlib.Path(".deploy-thread")
ICON = {"start": "🚀", "success": "✅", "failure": "❌", "rollback": "↩️"}

ap = argparse.ArgumentParser()
ap.add_argument("event", choices=list(ICON))
ap.add_argument("--service", required=True); ap.add_argument("--env", required=True)
ap.add_argument("--from", dest="frm"); ap.add_argument("--to")
ap.add_argument("--duration", type=int); ap.add_argument("--log-url")
a = ap.parse_args()

if a.event == "start":
    n = subprocess.run(["git", "rev-list", "--count", f"{a.frm}..{a.to}"], capture_output=True, text=True).stdout.strip() if a.frm and a.to else "?"
    text = f"{ICON['start']} *{a.service}* → *{a.env}* started by {os.environ.get('GITHUB_ACTOR') or os.environ.get('USER', '?')}\n`{(a.frm or '')[:7]}…{(a.to or '')[:7]}` ({n} commits)"
else:
    text = f"{ICON[a.event]} {a.event}" + (f" in {a.duration // 60}m{a.duration % 60:02d}s" if a.duration else "") + (f" · <{a.log_url}|logs>" if a.log_url else "")

token, webhook = os.environ.get("SLACK_BOT_TOKEN"), os.environ.get("SLACK_WEBHOOK_URL")
if token:
    payload = {"channel": os.environ["SLACK_CHANNEL"], "text": text}
    if a.event != "start" and STATE.exists():
        payload["thread_ts"] = STATE.read_text().strip()
    r = requests.post("https://slack.com/api/chat.postMessage", headers={"Authorization": f"Bearer {token}"}, json=payload, timeout=15).json()
    if not r.get("ok"):
        sys.exit(f"slack error: {r.get('error')}")
    if a.event == "start":
        STATE.write_text(r["ts"])
elif webhook:
    requests.post(webhook, json={"text": text}, timeout=15).raise_for_status()
else:
    sys.exit("set SLACK_BOT_TOKEN (+SLACK_CHANNEL) or SLACK_WEBHOOK_URL")
