#!/usr/bin/env python3
"""Aggregate JUnit XML files and print tests with mixed outcomes."""
import argparse, collections, glob, xml.etree.ElementTree as ET
ap = argparse.ArgumentParser(); ap.add_argument("--junit", required=True); ap.add_argument("--min-runs", type=int, default=10)
a = ap.parse_args()
runs = collections.defaultdict(lambda: [0, 0])
for f in glob.glob(a.junit, recursive=True):
    for tc in ET.parse(f).iter("testcase"):
        key = f"{tc.get('classname')}::{tc.get('name')}"
        failed = tc.find("failure") is not None or tc.find("error") is not None
        runs[key][1 if failed else 0] += 1
for k, (ok, bad) in sorted(runs.items(), key=lambda kv: -kv[1][1]):
    n = ok + bad
    if n >= a.min_runs and 0 < bad < n:
        print(f"{bad / n:6.1%}  {bad:3d}/{n:<3d}  {k}")
