#!/usr/bin/env python3
"""PR digest via the GitHub REST API. Token is read from GITHUB_TOKEN."""
import argparse
import datetime as dt
import os
import sys

import requests

API = os.environ.get("GITHUB_API_URL", "https://api.github.com").rstrip("/")


def session():
    token = os.environ.get("GITHUB_TOKEN")
    if not token:
        sys.exit("GITHUB_TOKEN is not set (try: export GITHUB_TOKEN=$(gh auth token))")
    s = requests.Session()
    s.headers.update({
        "Authorization": f"Bearer {token}",
        "Accept": "application/vnd.github+json",
        "X-GitHub-Api-Version": "2022-11-28",
    })
    return s


def paged(s, url, params=None):
    while url:
        r = s.get(url, params=params, timeout=30)
        r.raise_for_status()
        data = r.json()
        yield from (data["items"] if isinstance(data, dict) and "items" in data else data)
        url = r.links.get("next", {}).get("url")
        params = None


def review_summary(s, repo, n):
    states = [r["state"] for r in paged(s, f"{API}/repos/{repo}/pulls/{n}/reviews")]
    a, c, x = states.count("APPROVED"), states.count("COMMENTED"), states.count("CHANGES_REQUESTED")
    parts = [f"{a} ✅"] * bool(a) + [f"{c} 💬"] * bool(c) + [f"{x} ❌"] * bool(x)
    return " ".join(parts) or "—"


def ci_state(s, repo, sha):
    r = s.get(f"{API}/repos/{repo}/commits/{sha}/check-runs", timeout=30)
    runs = r.json().get("check_runs", []) if r.ok else []
    if not runs:
        return "—"
    if any(cr["conclusion"] == "failure" for cr in runs):
        return "❌"
    if all(cr["status"] == "completed" for cr in runs):
        return "✅"
    return "⏳"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repo")
    ap.add_argument("--org")
    ap.add_argument("--state", default="open")
    ap.add_argument("--stale-days", type=int, default=5)
    a = ap.parse_args()
    s = session()
    now = dt.datetime.now(dt.timezone.utc)
    prs = list(paged(s, f"{API}/repos/{a.repo}/pulls", {"state": a.state, "per_page": 100}))
    print(f"## {a.repo} — {len(prs)} {a.state} PRs\n")
    print("| PR | Title | Author | Age | Reviews | CI |\n|----|-------|--------|-----|---------|----|")
    for p in prs:
        age = (now - dt.datetime.fromisoformat(p["created_at"].replace("Z", "+00:00"))).days
        stale = " ⚠" if age >= a.stale_days else ""
        print(f"| #{p['number']} | {p['title'][:60]} | {p['user']['login']} | {age}d{stale} | "
              f"{review_summary(s, a.repo, p['number'])} | {ci_state(s, a.repo, p['head']['sha'])} |")


if __name__ == "__main__":
    main()
