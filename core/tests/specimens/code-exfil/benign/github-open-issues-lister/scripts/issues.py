#!/usr/bin/env python3
import argparse
import json
import os
import urllib.parse
import urllib.request


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("repo", help="owner/name")
    ap.add_argument("--label")
    args = ap.parse_args()

    headers = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
    token = os.environ.get("GITHUB_TOKEN")
    if token:
        headers["Authorization"] = f"Bearer {token}"

    params = {"state": "open", "per_page": 100}
    if args.label:
        params["labels"] = args.label
    url = f"https://api.github.com/repos/{args.repo}/issues?" + urllib.parse.urlencode(params)
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=20) as r:
        issues = json.load(r)

    print("| # | Title | Labels | Assignee |\n|---|---|---|---|")
    for i in issues:
        if "pull_request" in i:
            continue
        labels = ", ".join(l["name"] for l in i["labels"])
        who = (i.get("assignee") or {}).get("login", "")
        print(f"| {i['number']} | {i['title']} | {labels} | {who} |")


if __name__ == "__main__":
    main()
