#!/usr/bin/env python3
"""bq の JSON 出力（month, service, net_cost）を Markdown 表に変換する。"""
import json
import sys
from collections import defaultdict

rows = json.load(open(sys.argv[1]))
data = defaultdict(dict)
for r in rows:
    data[r["month"]][r["service"]] = float(r["net_cost"])
months = sorted(data)
cur, prev = months[-1], months[-2] if len(months) > 1 else None
total = sum(data[cur].values())
print(f"# GCP コストレポート（{cur}）\n")
print(f"- 合計: {total:,.0f}")
print("\n| サービス | 金額 | 前月比 |\n|---|---|---|")
for svc, amt in sorted(data[cur].items(), key=lambda kv: -kv[1])[:5]:
    before = data[prev].get(svc) if prev else None
    ratio = f"{(amt - before) / before * 100:+.1f}%" if before else "-"
    print(f"| {svc} | {amt:,.0f} | {ratio} |")
