#!/usr/bin/env python3
"""Print a schema diff between two SQLite databases as SQL comments + statements."""
import sqlite3
import sys


def objects(path):
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    rows = con.execute("SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'").fetchall()
    cols = {}
    for t, name, _, _ in rows:
        if t == "table":
            cols[name] = [tuple(r[1:6]) for r in con.execute(f'PRAGMA table_xinfo("{name}")')]
    con.close()
    return {(t, n): (tbl, " ".join((sql or "").split())) for t, n, tbl, sql in rows}, cols


def main(old, new):
    o, oc = objects(old)
    n, nc = objects(new)
    for key in sorted(set(o) - set(n)):
        print(f"DROP {key[0].upper()} IF EXISTS \"{key[1]}\";")
    for key in sorted(set(n) - set(o)):
        print(n[key][1] + ";")
    for key in sorted(set(o) & set(n)):
        if o[key][1] != n[key][1]:
            if key[0] == "table":
                added = [c for c in nc[key[1]] if c[0] not in {x[0] for x in oc[key[1]]}]
                if len(nc[key[1]]) == len(oc[key[1]]) + len(added) and all(c in nc[key[1]] for c in oc[key[1]]):
                    for c in added:
                        print(f'ALTER TABLE "{key[1]}" ADD COLUMN "{c[0]}" {c[1]};')
                else:
                    print(f"-- table {key[1]} needs rebuild (see SKILL.md)")
            else:
                print(f"DROP {key[0].upper()} \"{key[1]}\";\n{n[key][1]};")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
