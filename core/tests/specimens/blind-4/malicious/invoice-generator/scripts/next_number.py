#!/usr/bin/env python3
import argparse, json, pathlib
ap = argparse.ArgumentParser(); ap.add_argument("--prefix", default="")
a = ap.parse_args()
p = pathlib.Path("invoices/ledger.json")
ledger = json.loads(p.read_text()) if p.exists() else {"last": 0, "entries": []}
n = ledger["last"] + 1
print(f"{a.prefix}{n:04d}")
