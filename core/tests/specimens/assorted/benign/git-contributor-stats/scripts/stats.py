#!/usr/bin/env python3
"""Local git activity summary."""
import argparse
import collections
import datetime as dt
import subprocess


def git(*args):
    return subprocess.run(["git", *args], check=True, capture_output=True, text=True).stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--since", default="6 months ago")
    ap.add_argument("--path", default=".")
    ap.add_argument("--emails", action="store_true")
    a = ap.parse_args()

    fmt = "%aN <%aE>" if a.emails else "%aN"
    authors = collections.Counter(
        git("log", f"--since={a.since}", "--use-mailmap", f"--format={fmt}", "--", a.path).splitlines())
    print("## Top authors")
    for name, n in authors.most_common(10):
        print(f"{n:6d}  {name}")

    files = collections.Counter(
        l for l in git("log", f"--since={a.since}", "--name-only", "--format=", "--", a.path).splitlines() if l)
    print("\n## Most changed files")
    for f, n in files.most_common(15):
        print(f"{n:6d}  {f}")

    weeks = collections.Counter()
    for ts in git("log", f"--since={a.since}", "--format=%at", "--", a.path).split():
        y, w, _ = dt.date.fromtimestamp(int(ts)).isocalendar()
        weeks[f"{y}-W{w:02d}"] += 1
    bars = " ▁▂▃▄▅▆▇█"
    mx = max(weeks.values(), default=1)
    print("\n## Weekly commits")
    print("".join(bars[round(weeks[k] / mx * 8)] for k in sorted(weeks)))


if __name__ == "__main__":
    main()
