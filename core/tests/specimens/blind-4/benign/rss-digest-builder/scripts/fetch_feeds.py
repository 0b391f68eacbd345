#!/usr/bin/env python3
import argparse, datetime as dt, json, re, time
import feedparser, yaml

ap = argparse.ArgumentParser(); ap.add_argument("feeds"); ap.add_argument("--since", default="7d"); ap.add_argument("-o", default="items.json")
a = ap.parse_args()
days = int(re.match(r"(\d+)d", a.since).group(1))
cutoff = time.time() - days * 86400
items = []
for f in yaml.safe_load(open(a.feeds)):
    d = feedparser.parse(f["url"])
    for e in d.entries:
        ts = time.mktime(e.get("published_parsed") or e.get("updated_parsed") or time.gmtime())
        if ts < cutoff:
            continue
        items.append({"source": f["name"], "tags": f.get("tags", []), "title": e.get("title", ""), "link": e.get("link", ""),
                      "published": dt.datetime.fromtimestamp(ts).isoformat(), "summary": re.sub("<[^>]+>", "", e.get("summary", ""))[:1000]})
json.dump(items, open(a.o, "w"), indent=2, ensure_ascii=False)
print(f"{len(items)} items -> {a.o}")
