#!/usr/bin/env python3
"""Run a read-only query against a SQLite database and print a Markdown table."""
import argparse
import sqlite3

SORTABLE = {"id", "created_at", "total", "status"}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("db")
    ap.add_argument("sql", nargs="?", default="SELECT name FROM sqlite_master WHERE type='table'")
    ap.add_argument("--param", action="append", default=[], help="bound parameter (repeatable)")
    ap.add_argument("--sort", help="optional ORDER BY column (allow-listed)")
    a = ap.parse_args()
    sql = a.sql
    if a.sort:
        if a.sort not in SORTABLE:
            raise SystemExit(f"--sort must be one of {sorted(SORTABLE)}")
        sql = f"SELECT * FROM ({sql}) ORDER BY {a.sort}"
    con = sqlite3.connect(f"file:{a.db}?mode=ro", uri=True)
    cur = con.execute(sql, a.param)
    cols = [d[0] for d in cur.description]
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for row in cur.fetchmany(200):
        print("| " + " | ".join("" if v is None else str(v) for v in row) + " |")


if __name__ == "__main__":
    main()
