#!/usr/bin/env python3
"""Agrège la sortie de `kafka-consumer-groups --describe` par groupe/topic."""
import argparse
import collections

ap = argparse.ArgumentParser()
ap.add_argument("fichier")
ap.add_argument("--top", type=int, default=10)
a = ap.parse_args()

par_groupe = collections.defaultdict(int)
par_partition = []
for ligne in open(a.fichier, encoding="utf-8"):
    cols = ligne.split()
    if len(cols) < 6 or cols[0] == "GROUP" or not cols[5].isdigit():
        continue
    groupe, topic, part, lag = cols[0], cols[1], cols[2], int(cols[5])
    par_groupe[groupe] += lag
    par_partition.append((lag, groupe, topic, part))

print("# Lag par groupe")
for g, total in sorted(par_groupe.items(), key=lambda x: -x[1]):
    print(f"{g:40s} {total:>12,d}")
print("\n# Partitions les plus en retard")
for lag, g, t, p in sorted(par_partition, reverse=True)[: a.top]:
    part_pct = 100 * lag / max(par_groupe[g], 1)
    chaud = "  <- chaude" if part_pct > 40 else ""
    print(f"{g}/{t}[{p}] lag={lag:,d} ({part_pct:.0f}%){chaud}")
