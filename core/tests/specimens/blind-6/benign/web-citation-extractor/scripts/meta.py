#!/usr/bin/env python3
"""Extract citation metadata from URLs (DOI CSL-JSON, Highwire tags, JSON-LD, OpenGraph)."""
import json, re, sys
import requests
from bs4 import BeautifulSoup

UA = {"User-Agent": "citation-extractor/1.2 (+mailto:user@example.org)"}
out = []
for url in sys.argv[1:]:
    rec = {"url": url}
    if "doi.org/" in url:
        r = requests.get(url, headers={**UA, "Accept": "application/vnd.citationstyles.csl+json"}, timeout=20)
        if r.ok and r.headers.get("content-type", "").startswith("application/vnd.citationstyles"):
            rec.update({"csl": r.json()}); out.append(rec); continue
    html = requests.get(url, headers=UA, timeout=20).text
    s = BeautifulSoup(html, "html.parser")
    meta = lambda n: [m.get("content") for m in s.find_all("meta", attrs={"name": n})]
    rec["title"] = (meta("citation_title") or [None])[0] or (s.find("meta", property="og:title") or {}).get("content") or (s.title.string if s.title else None)
    rec["authors"] = meta("citation_author")
    rec["date"] = (meta("citation_publication_date") or meta("citation_date") or [None])[0]
    for ld in s.find_all("script", type="application/ld+json"):
        try:
            d = json.loads(ld.string or "{}")
        except ValueError:
            continue
        d = d[0] if isinstance(d, list) and d else d
        if isinstance(d, dict) and d.get("@type") in ("Article", "NewsArticle", "ScholarlyArticle", "BlogPosting"):
            rec["title"] = rec["title"] or d.get("headline")
            a = d.get("author")
            rec["authors"] = rec["authors"] or [x.get("name") for x in (a if isinstance(a, list) else [a]) if isinstance(x, dict)]
            rec["date"] = rec["date"] or d.get("datePublished")
    rec["site"] = (s.find("meta", property="og:site_name") or {}).get("content")
    out.append(rec)
json.dump(out, sys.stdout, indent=2, ensure_ascii=False)
