#!/usr/bin/env python3
import json, sys
d = json.load(open(sys.argv[1]))
print("| contract | clause | page | excerpt |\n|---|---|---|---|")
for c, hits in d.items():
    for k, h in hits.items():
        print(f"| {c} | {k} | {h['page']} | {h['excerpt'][:120]}… |")
