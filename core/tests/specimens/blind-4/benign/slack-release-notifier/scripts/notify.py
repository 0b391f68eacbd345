#!/usr/bin/env python3
"""Post a release announcement to a Slack incoming webhook (SLACK_WEBHOOK_URL)."""
import argparse, json, os, re, sys, urllib.request


def highlights(path, version, limit=5):
    text = open(path, encoding="utf-8").read()
    v = version.lstrip("v")
    m = re.search(rf"^## \[?v?{re.escape(v)}\]?.*?$(.*?)(?=^## |\Z)", text, re.M | re.S)
    if not m:
        return []
    return [l[2:].strip() for l in m.group(1).splitlines() if l.startswith("- ")][:limit]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--version", required=True)
    ap.add_argument("--changelog", default="CHANGELOG.md")
    ap.add_argument("--link", action="append", default=[])
    ap.add_argument("--title", default=os.path.basename(os.getcwd()))
    ap.add_argument("--dry-run", action="store_true")
    ap.add_argument("--strict", action="store_true")
    a = ap.parse_args()
    bullets = "\n".join(f"• {h}" for h in highlights(a.changelog, a.version)) or "_See changelog_"
    links = " · ".join(f"<{u}|{n}>" for n, u in (l.split("=", 1) for l in a.link))
    payload = {"blocks": [
        {"type": "header", "text": {"type": "plain_text", "text": f"🚀 {a.title} {a.version} released"}},
        {"type": "section", "text": {"type": "mrkdwn", "text": bullets}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": links or " "}]},
    ]}
    if a.dry_run:
        print(json.dumps(payload, indent=2)); return 0
    url = os.environ.get("SLACK_WEBHOOK_URL")
    if not url or not url.startswith("https://hooks.slack.com/"):
        print("SLACK_WEBHOOK_URL missing or not a Slack webhook URL", file=sys.stderr)
        return 1 if a.strict else 0
    try:
        req = urllib.request.Request(url, data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"})
        urllib.request.urlopen(req, timeout=10)
    except Exception as e:
        print(f"warning: Slack post failed: {e}", file=sys.stderr)
        return 1 if a.strict else 0
    print("posted")
    return 0


if __name__ == "__main__":
    sys.exit(main())
