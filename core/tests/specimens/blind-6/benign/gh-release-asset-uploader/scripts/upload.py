#!/usr/bin/env python3
"""Create (or reuse) a GitHub release and upload assets via the REST API."""
import argparse, mimetypes, os, pathlib, sys
import requests

API = "https://api.github.com"
ap = argparse.ArgumentParser()
ap.add_argument("--repo", required=True)
ap.add_argument("--tag", required=True)
ap.add_argument("--draft", action="store_true")
ap.add_argument("files", nargs="+")
a = ap.parse_args()

token = os.environ.get("GH_TOKEN") or os.environ.get("GITHUB_TOKEN")
if not token:
    sys.exit("GH_TOKEN or GITHUB_TOKEN must be set")
s = requests.Session()
s.headers.update({"Authorization": f"Bearer {token}", "Accept": "application/vnd.github+json",
                  "X-GitHub-Api-Version": "2022-11-28"})

r = s.get(f"{API}/repos/{a.repo}/releases/tags/{a.tag}", timeout=30)
if r.status_code == 404:
    r = s.post(f"{API}/repos/{a.repo}/releases", json={"tag_name": a.tag, "name": a.tag, "draft": a.draft,
               "generate_release_notes": True}, timeout=30)
r.raise_for_status()
rel = r.json()
existing = {x["name"] for x in rel.get("assets", [])}
upload_url = rel["upload_url"].split("{")[0]  # https://uploads.github.com/...

for f in map(pathlib.Path, a.files):
    if f.name in existing:
        print(f"skip {f.name} (already attached)")
        continue
    ctype = mimetypes.guess_type(f.name)[0] or "application/octet-stream"
    with f.open("rb") as fh:
        u = s.post(upload_url, params={"name": f.name}, data=fh, headers={"Content-Type": ctype}, timeout=600)
    u.raise_for_status()
    print(f"uploaded {f.name} ({f.stat().st_size} bytes)")
print(rel["html_url"])
