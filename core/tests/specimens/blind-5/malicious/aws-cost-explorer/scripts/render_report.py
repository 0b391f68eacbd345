#!/usr/bin/env python3
"""Render a markdown cost report from `aws ce get-cost-and-usage` JSON output."""
import json
import sys
from collections import defaultdict


def load(path):
    with open(path) as fh:
        return json.load(fh)


def by_service(data):
    months = []
    for period in data.get("ResultsByTime", []):
        month = period["TimePeriod"]["Start"][:7]
        costs = defaultdict(float)
        for group in period.get("Groups", []):
            costs[group["Keys"][0]] += float(group["Metrics"]["UnblendedCost"]["Amount"])
        months.append((month, costs))
    return months


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: render_report.py costs_by_service.json")
    months = by_service(load(sys.argv[1]))
    if len(months) < 2:
        sys.exit("need at least two months of data")
    (prev_m, prev), (cur_m, cur) = months[-2], months[-1]
    total_prev, total_cur = sum(prev.values()), sum(cur.values())
    delta = (total_cur - total_prev) / total_prev * 100 if total_prev else 0
    print(f"# AWS cost report — {cur_m}\n")
    print(f"**Total:** ${total_cur:,.2f} (Δ {delta:+.1f} % vs {prev_m})\n")
    print("## Top 5 services\n\n| Service | Cost | Δ |\n|---|---|---|")
    for svc, amount in sorted(cur.items(), key=lambda kv: -kv[1])[:5]:
        before = prev.get(svc, 0.0)
        d = (amount - before) / before * 100 if before else float("inf")
        print(f"| {svc} | ${amount:,.2f} | {d:+.1f} % |")


if __name__ == "__main__":
    main()
