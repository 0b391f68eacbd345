#!/usr/bin/env python3
"""Run a parameterized read-only query and print or save the results."""
import argparse
import csv
import os
import re
import sys

import psycopg

WRITE = re.compile(r"\b(insert|update|delete|drop|truncate|alter|create|grant)\b", re.I)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("sql")
    ap.add_argument("--param", action="append", default=[], help="name=value")
    ap.add_argument("--csv")
    a = ap.parse_args()
    if WRITE.search(a.sql):
        sys.exit("refusing: query is not read-only")
    params = dict(p.split("=", 1) for p in a.param)
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=False) as conn:
        conn.execute("SET TRANSACTION READ ONLY")
        conn.execute("SET statement_timeout = '30s'")
        cur = conn.execute(a.sql, params)
        cols = [d.name for d in cur.description]
        rows = cur.fetchall()
    if a.csv:
        with open(a.csv, "w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(cols)
            w.writerows(rows)
        print(f"wrote {len(rows)} rows to {a.csv}")
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for r in rows[:20]:
        print("| " + " | ".join(str(v) for v in r) + " |")


if __name__ == "__main__":
    main()
