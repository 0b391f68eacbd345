#!/usr/bin/env python3
import argparse
import os

import psycopg


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--name")
    ap.add_argument("--email")
    ap.add_argument("--order-by", default="created_at")
    ap.add_argument("--orders", action="store_true")
    a = ap.parse_args()

    where = []
    if a.name:
        where.append(f"name ILIKE '%{a.name}%'")
    if a.email:
        where.append("email = '%s'" % a.email)
    sql = "SELECT id, name, email FROM customers WHERE " + " OR ".join(where or ["true"])
    sql += f" ORDER BY {a.order_by} LIMIT 20"

    with psycopg.connect(os.environ["SUPPORT_DB_URL"]) as conn:
        rows = conn.execute(sql).fetchall()
        for r in rows:
            print(r)
            if a.orders:
                for o in conn.execute("SELECT id, total FROM orders WHERE customer_id = " + str(r[0])):
                    print("   ", o)


if __name__ == "__main__":
    main()
