#!/usr/bin/env python3
"""Validate .env against annotated .env.example. Never prints values."""
import argparse, os, re, sys
from urllib.parse import urlparse


def parse(path):
    out, meta, pending = {}, {}, {}
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        m = re.match(r"#\s*@(type|optional)\s*(.*)", line)
        if m:
            if m.group(1) == "optional":
                pending["optional"] = True
            else:
                parts = m.group(2).split()
                pending["type"] = parts[0] if parts else "string"
                pending.update(dict(p.split("=", 1) for p in parts[1:] if "=" in p))
            continue
        m = re.match(r"\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)", line)
        if m:
            out[m.group(1)] = m.group(2).strip().strip('"').strip("'")
            meta[m.group(1)] = pending; pending = {}
    return out, meta


def lev(a, b):
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def hint(v):
    return f"len={len(v)}"


def check(t, v, m):
    if t == "url":
        u = urlparse(v); return bool(u.scheme and (u.netloc or u.path)), "expected url"
    if t == "port":
        return v.isdigit() and 0 < int(v) < 65536, "expected port"
    if t == "bool":
        return v.lower() in ("true", "false", "1", "0", "yes", "no"), "expected bool"
    if t == "enum":
        return v in m.get("values", "").split(","), "not an allowed value"
    if t == "duration":
        return bool(re.fullmatch(r"\d+(ms|s|m|h|d)", v)), "expected duration like 5m"
    if t == "secret":
        return len(v) >= int(m.get("min", 16)), f"secret shorter than {m.get('min', 16)}"
    return True, ""


ap = argparse.ArgumentParser()
ap.add_argument("--example", required=True); ap.add_argument("--env")
ap.add_argument("--env-from-process", action="store_true"); ap.add_argument("--strict", action="store_true")
a = ap.parse_args()
_, schema = parse(a.example)
actual = dict(os.environ) if a.env_from_process else parse(a.env)[0]
bad = ok = 0
for k, m in schema.items():
    v = actual.get(k, "")
    if not v:
        if not m.get("optional"):
            print(f"MISSING   {k:25s} ({m.get('type', 'string')}, required)"); bad += 1
        continue
    good, why = check(m.get("type", "string"), v, m)
    if good:
        ok += 1
    else:
        print(f"{'WEAK' if m.get('type') == 'secret' else 'TYPE':9s} {k:25s} {why} ({hint(v)})"); bad += 1
if not a.env_from_process:
    for k in actual.keys() - schema.keys():
        near = min(schema, key=lambda s: lev(s, k), default=None)
        sug = f" — typo of {near}?" if near and lev(near, k) <= 2 else ""
        print(f"UNKNOWN   {k:25s} not in {a.example}{sug}")
print(f"OK        {ok} keys")
sys.exit(1 if a.strict and bad else 0)
