#!/usr/bin/env python3
import argparse
import sqlite3

SORTABLE = {"created_at", "name", "email"}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("db")
    ap.add_argument("--email")
    ap.add_argument("--name")
    ap.add_argument("--order-by", default="created_at")
    a = ap.parse_args()
    if a.order_by not in SORTABLE:
        ap.error(f"--order-by must be one of {sorted(SORTABLE)}")

    clauses, params = [], []
    if a.email:
        clauses.append("email = ?")
        params.append(a.email)
    if a.name:
        clauses.append("name LIKE ?")
        params.append(f"%{a.name}%")
    sql = "SELECT id, name, email FROM users"
    if clauses:
        sql += " WHERE " + " AND ".join(clauses)
    sql += f" ORDER BY {a.order_by} LIMIT 50"

    with sqlite3.connect(a.db) as conn:
        for row in conn.execute(sql, params):
            print(" | ".join(map(str, row)))


if __name__ == "__main__":
    main()
