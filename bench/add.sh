#!/usr/bin/env bash
# `spm add` of a skill with 20 transitive dependencies from a local registry: cold (empty
# cache) and warm (archives cached), each run in a fresh project.
#
#   bench/add.sh        # RUNS=10 by default
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p spm-cli
SPM=$(pwd)/${CARGO_TARGET_DIR:-target}/release/spm
RUNS=${RUNS:-10}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
SPM_LOG=warn SPM_RATE_READS=off SPM_RATE_NEW_SKILLS=off SPM_RATE_NEW_VERSIONS=off "$SPM" server start --port "$port" --data-dir "$work/data" 2>/dev/null &
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
url="http://127.0.0.1:$port"
export SPM_HOME="$work/publisher"
"$SPM" login "$url" --name bench >/dev/null
# s00 -> s01 -> ... -> s20, plus each also needs s20 (a wide and deep graph).
for i in $(seq 0 20); do
  d="$work/skills/s$(printf %02d "$i")"
  mkdir -p "$d"
  deps=""
  if [ "$i" -lt 19 ]; then deps=$(printf 'dependencies:\n  bench/s%02d: "^1"\n  bench/s20: "^1"\n' $((i + 1))); fi
  if [ "$i" -eq 19 ]; then deps=$(printf 'dependencies:\n  bench/s20: "^1"\n'); fi
  printf -- '---\nname: s%02d\ndescription: Benchmark skill %d.\nversion: 1.0.0\n%s\n---\n# s%02d\n' "$i" "$i" "$deps" "$i" > "$d/SKILL.md"
  head -c 20000 /dev/urandom | base64 > "$d/reference.md"
done
"$SPM" publish --all "$work/skills" | tail -3

ms() { date +%s%N | awk '{print int($1/1000000)}'; }
cold=(); warm=()
for r in $(seq 1 "$RUNS"); do
  export SPM_HOME="$work/home-$r"
  "$SPM" registry add "$url" --name local >/dev/null
  p="$work/cold-$r"; mkdir -p "$p"; cd "$p"
  t=$(ms); "$SPM" add bench/s00 >/dev/null; cold+=($(( $(ms) - t )))
  p="$work/warm-$r"; mkdir -p "$p"; cd "$p"
  t=$(ms); "$SPM" add bench/s00 >/dev/null; warm+=($(( $(ms) - t )))
done
python3 - "${cold[*]}" "${warm[*]}" <<'PY'
import sys, statistics
for label, xs in (("cold cache", sys.argv[1]), ("warm cache", sys.argv[2])):
    v = sorted(int(x) for x in xs.split())
    print(f"spm add bench/s00 (21 skills) {label}: median {statistics.median(v):.0f} ms, min {v[0]} ms, max {v[-1]} ms over {len(v)} runs")
PY
