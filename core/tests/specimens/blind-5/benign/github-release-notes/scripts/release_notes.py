#!/usr/bin/env python3
"""Build release notes from merged PRs between two tags; optionally create a draft release."""
import argparse
import json
import os
import subprocess
import sys
import urllib.request

API = os.environ.get("GITHUB_API_URL", "https://api.github.com").rstrip("/")
SECTIONS = [("🚀 Features", {"feature", "enhancement"}), ("🐛 Fixes", {"bug", "fix"}),
            ("⚡ Performance", {"performance"}), ("📝 Documentation", {"docs"}),
            ("📦 Dependencies", {"dependencies"})]


def token():
    tok = os.environ.get("GITHUB_TOKEN") or os.environ.get("GH_TOKEN")
    if not tok:
        try:
            tok = subprocess.run(["gh", "auth", "token"], capture_output=True, text=True, check=True).stdout.strip()
        except Exception:
            sys.exit("set GITHUB_TOKEN or run `gh auth login`")
    return tok


def gh(path, method="GET", body=None):
    req = urllib.request.Request(f"{API}{path}", method=method,
                                 data=json.dumps(body).encode() if body else None,
                                 headers={"Authorization": f"Bearer {token()}",
                                          "Accept": "application/vnd.github+json",
                                          "X-GitHub-Api-Version": "2022-11-28"})
    with urllib.request.urlopen(req) as r:
        return json.load(r)


def prs_between(repo, base, head):
    cmp = gh(f"/repos/{repo}/compare/{base}...{head}")
    shas = {c["sha"] for c in cmp["commits"]}
    seen, out = set(), []
    for sha in shas:
        for pr in gh(f"/repos/{repo}/commits/{sha}/pulls"):
            if pr["merged_at"] and pr["number"] not in seen:
                seen.add(pr["number"])
                out.append(pr)
    return sorted(out, key=lambda p: p["merged_at"])


def render(prs):
    lines = []
    for title, labels in SECTIONS + [("🧹 Other", None)]:
        items = []
        for pr in prs:
            names = {l["name"] for l in pr["labels"]}
            if "skip-changelog" in names:
                continue
            matched = next((t for t, ls in SECTIONS if names & ls), "🧹 Other")
            if matched == title:
                items.append(f"- {pr['title']} (#{pr['number']}) @{pr['user']['login']}")
        if items:
            lines += [f"## {title}", *items, ""]
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repo", required=True)
    ap.add_argument("--from", dest="base", required=True)
    ap.add_argument("--to", dest="head", required=True)
    ap.add_argument("--create-draft", action="store_true")
    a = ap.parse_args()
    notes = render(prs_between(a.repo, a.base, a.head))
    if a.create_draft:
        rel = gh(f"/repos/{a.repo}/releases", "POST",
                 {"tag_name": a.head, "name": a.head, "body": notes, "draft": True})
        print(rel["html_url"])
    else:
        print(notes)


if __name__ == "__main__":
    main()
