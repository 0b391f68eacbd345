#!/usr/bin/env python3
"""Télécharge une page Confluence et la découpe en étapes + blocs de code."""
import argparse, json, os, re, sys
from html.parser import HTMLParser
import requests

BASE = os.environ["CONFLUENCE_BASE_URL"]
AUTH = (os.environ["CONFLUENCE_EMAIL"], os.environ["CONFLUENCE_API_TOKEN"])


class Steps(HTMLParser):
    def __init__(self):
        super().__init__(); self.steps = []; self.cur = None; self.in_code = False; self.buf = ""
    def handle_starttag(self, tag, attrs):
        if tag in ("h2", "h3"):
            self.cur = {"title": "", "text": "", "code": []}; self.steps.append(self.cur); self.buf = "title"
        elif tag == "ac:plain-text-body":
            self.in_code = True
    def handle_endtag(self, tag):
        if tag in ("h2", "h3"): self.buf = "text"
        if tag == "ac:plain-text-body": self.in_code = False
    def handle_data(self, data):
        if self.cur is None: return
        if self.in_code: self.cur["code"].append(data.strip())
        elif self.buf == "title": self.cur["title"] += data
        else: self.cur["text"] += data


ap = argparse.ArgumentParser(); ap.add_argument("--page-id", required=True); a = ap.parse_args()
page = requests.get(f"{BASE}/rest/api/content/{a.page_id}", params={"expand": "body.storage,version"}, auth=AUTH, timeout=30).json()
html = re.sub(r"<!\[CDATA\[(.*?)\]\]>", lambda m: m.group(1).replace("<", "&lt;"), page["body"]["storage"]["value"], flags=re.S)
p = Steps(); p.feed(html)
json.dump({"title": page["title"], "version": page["version"]["number"], "steps": p.steps}, sys.stdout, indent=2, ensure_ascii=False)
