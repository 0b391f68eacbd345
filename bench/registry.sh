#!/usr/bin/env bash
# Load figures for the registry: metadata GETs, web pages and GraphQL queries per second, archive download throughput and
# publish latency of a 50 KB skill, on SQLite and (when reachable) PostgreSQL.
#
#   bench/registry.sh            # needs wrk (apt-get install wrk), curl, python3
#
# Everything runs on 127.0.0.1 against a release build started here; each run is bounded
# by wrk's -d and the fixed publish count.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is required: apt-get install wrk" >&2; exit 1; }
cargo build --release -q -p spm-cli
SPM=${CARGO_TARGET_DIR:-target}/release/spm
DURATION=${DURATION:-10s}
PUBLISHES=${PUBLISHES:-100}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# A skill of about 50 KB packed (incompressible reference text) and a 5 MB one.
make_skill() { # dir name version bytes
  mkdir -p "$1/references"
  printf -- '---\nname: %s\ndescription: Benchmark skill %s.\nversion: %s\n---\n# %s\nUse it.\n' "$2" "$2" "$3" "$2" > "$1/SKILL.md"
  head -c "$4" /dev/urandom | base64 > "$1/references/data.txt"
}

run_one() { # label database-url
  local label=$1 db=$2 port data
  port=$(free_port)
  data="$work/$label"
  mkdir -p "$data"
  DATABASE_URL=$db SPM_LOG=warn SPM_RATE_READS=off SPM_RATE_NEW_SKILLS=off SPM_RATE_NEW_VERSIONS=off SPM_MAX_BODY_BYTES=$((32 << 20)) "$SPM" server start --port "$port" --data-dir "$data" 2>"$data/server.log" &
  local pid=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
  local url="http://127.0.0.1:$port"
  local token
  token=$(curl -sf -XPOST "$url/api/auth/register" -H 'content-type: application/json' -d '{"name":"bench"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')

  # Publish latency: PUBLISHES sequential versions of a ~50 KB skill.
  local times="$data/publish.txt"
  : > "$times"
  for i in $(seq 1 "$PUBLISHES"); do
    local d="$work/skill-$label-$i/fifty"
    make_skill "$d" fifty "1.0.$i" 37000
    "$SPM" publish --dry-run --json "$d" >/dev/null
    (cd "$d" && tar --sort=name --mtime=@0 --owner=0 --group=0 -czf ../skill.tar.gz .)
    curl -s -o /dev/null -w '%{time_total}\n' -H "authorization: Bearer $token" \
      -F 'metadata={"manifest":{},"content":""};type=application/json' -F "archive=@$(dirname "$d")/skill.tar.gz" \
      "$url/api/skills" >> "$times"
  done
  local size
  size=$(stat -c %s "$(dirname "$d")/skill.tar.gz")
  python3 - "$times" "$label" "$size" <<'PY'
import sys
t = sorted(float(x) * 1000 for x in open(sys.argv[1]) if x.strip())
p = lambda q: t[min(len(t) - 1, int(q * len(t)))]
print(f"[{sys.argv[2]}] publish of a {int(sys.argv[3]) // 1024} KB skill, {len(t)} runs: p50 {p(0.5):.1f} ms, p95 {p(0.95):.1f} ms, max {t[-1]:.1f} ms")
PY

  # A 5 MB skill for download throughput.
  make_skill "$work/big-$label/big" big 1.0.0 3800000
  (cd "$work/big-$label/big" && tar --sort=name --mtime=@0 --owner=0 --group=0 -czf ../skill.tar.gz .)
  curl -sf -o /dev/null -H "authorization: Bearer $token" -F 'metadata={"manifest":{},"content":""};type=application/json' \
    -F "archive=@$work/big-$label/skill.tar.gz" "$url/api/skills"
  local blob
  blob=$(curl -sf "$url/api/skills/bench/big/download" | python3 -c 'import json,sys; print(json.load(sys.stdin)["download_url"])')

  echo "[$label] GET /api/skills/bench/fifty (metadata):"
  wrk -t2 -c32 -d"$DURATION" "$url/api/skills/bench/fifty" | grep -E "Requests/sec|Latency "
  echo "[$label] GET /api/skills/search?q=bench:"
  wrk -t2 -c32 -d"$DURATION" "$url/api/skills/search?q=bench" | grep -E "Requests/sec|Latency "
  echo "[$label] GET /skills/bench/fifty (web page, rendered SKILL.md):"
  wrk -t2 -c32 -d"$DURATION" "$url/skills/bench/fifty" | grep -E "Requests/sec|Latency "
  echo "[$label] POST /graphql (a skill with its versions and findings):"
  cat > "$work/graphql.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"query":"{ skill(author: \\"bench\\", name: \\"fifty\\") { latestVersion safetyStatus trustLevel versions { version safetyStatus findings { rule line } } } }"}'
LUA
  wrk -t2 -c32 -d"$DURATION" -s "$work/graphql.lua" "$url/graphql" | grep -E "Requests/sec|Latency "
  echo "[$label] GET 5 MB archive ($(stat -c %s "$work/big-$label/skill.tar.gz") bytes):"
  wrk -t2 -c8 -d"$DURATION" "$blob" | grep -E "Requests/sec|Transfer/sec|Latency "
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

run_one sqlite "sqlite://$work/sqlite/registry.db?mode=rwc"
if pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  db="spm_bench_$$"
  psql -h 127.0.0.1 -U postgres -d test -qc "CREATE DATABASE $db" >/dev/null
  run_one postgres "postgres://postgres@127.0.0.1:5432/$db"
  psql -h 127.0.0.1 -U postgres -d test -qc "DROP DATABASE $db WITH (FORCE)" >/dev/null
else
  echo "PostgreSQL not reachable on 127.0.0.1:5432: skipped"
fi
