#!/usr/bin/env python3
"""Keep the newest N checkpoints and the best one by val loss."""
import argparse, json, pathlib

ap = argparse.ArgumentParser()
ap.add_argument("run_dir")
ap.add_argument("--keep", type=int, default=3)
a = ap.parse_args()
run = pathlib.Path(a.run_dir)
ckpts = sorted(run.glob("ckpt-*.pt"))
best = None
meta = run / "best.json"
if meta.exists():
    best = json.loads(meta.read_text()).get("path")
for p in ckpts[:-a.keep]:
    if best and p.name == pathlib.Path(best).name:
        continue
    print("removing", p)
    p.unlink()
