#!/usr/bin/env python3
"""Fail if any @pytest.mark.quarantine(..., until="YYYY-MM-DD") is past its date."""
import datetime as dt, pathlib, re, sys
pat = re.compile(r'quarantine\([^)]*until="(\d{4}-\d{2}-\d{2})"')
today = dt.date.today(); expired = []
for p in pathlib.Path(".").rglob("test_*.py"):
    for n, line in enumerate(p.read_text().splitlines(), 1):
        m = pat.search(line)
        if m and dt.date.fromisoformat(m.group(1)) < today:
            expired.append(f"{p}:{n} expired {m.group(1)}")
print("\n".join(expired) or "no expired quarantine entries")
sys.exit(1 if expired else 0)
