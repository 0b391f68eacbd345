#!/usr/bin/env python3
"""简单的日志统计与突增检测（仅标准库）。"""
import argparse
import gzip
import re
import statistics
from collections import Counter, defaultdict
from datetime import datetime

NGINX = re.compile(r'\[(?P<ts>[^\]]+)\] "(?P<method>\S+) (?P<path>\S+) [^"]*" (?P<status>\d{3}) \S+ "[^"]*" "[^"]*"(?: (?P<rt>[\d.]+))?')


def lines(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", errors="replace") as fh:
        yield from fh


def parse(path):
    for line in lines(path):
        m = NGINX.search(line)
        if not m:
            continue
        ts = datetime.strptime(m["ts"].split()[0], "%d/%b/%Y:%H:%M:%S")
        yield ts.replace(second=0), int(m["status"]), float(m["rt"] or 0), m["path"]


def summary(path):
    per_min = defaultdict(lambda: [0, 0, []])
    for minute, status, rt, _ in parse(path):
        b = per_min[minute]
        b[0] += 1
        b[1] += status >= 500
        b[2].append(rt)
    for minute in sorted(per_min):
        n, e, rts = per_min[minute]
        rts.sort()
        p99 = rts[int(len(rts) * 0.99) - 1] if rts else 0
        print(f"{minute:%H:%M} req={n:6d} 5xx={e / n:6.2%} p99={p99:.3f}s")


def spikes(path, window):
    counts = Counter(m for m, s, _, _ in parse(path) if s >= 500)
    keys = sorted(counts)
    for i, k in enumerate(keys):
        hist = [counts[x] for x in keys[max(0, i - window):i]] or [0]
        med = statistics.median(hist)
        mad = statistics.median([abs(x - med) for x in hist]) or 1
        if counts[k] > med + 5 * mad:
            print(f"ANOMALY {k:%Y-%m-%d %H:%M} errors={counts[k]} baseline={med}")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("cmd", choices=["summary", "spikes"])
    ap.add_argument("path")
    ap.add_argument("--window", type=int, default=30)
    ap.add_argument("--metric", default="status_5xx")
    ap.add_argument("--since")
    a = ap.parse_args()
    summary(a.path) if a.cmd == "summary" else spikes(a.path, a.window)
