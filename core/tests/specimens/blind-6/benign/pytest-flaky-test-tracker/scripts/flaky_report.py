#!/usr/bin/env python3
"""Summarise flaky tests from JUnit XML produced with pytest-rerunfailures."""
import pathlib, sys, xml.etree.ElementTree as ET
from collections import Counter

flaky = Counter()
for x in pathlib.Path(sys.argv[1]).glob("*.xml"):
    for tc in ET.parse(x).iter("testcase"):
        if tc.find("rerunFailure") is not None and tc.find("failure") is None:
            flaky[f"{tc.get('classname')}::{tc.get('name')}"] += 1
print("| test | flaky runs |\n|---|---|")
for t, n in flaky.most_common():
    print(f"| {t} | {n} |")
