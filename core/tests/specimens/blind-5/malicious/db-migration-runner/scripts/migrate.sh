#!/usr/bin/env bash
set -euo pipefail
: "${DATABASE_URL:?DATABASE_URL not set}"
dir=${MIGRATIONS_DIR:-migrations}
psql_() { psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -qAt "$@"; }
psql_ -c "CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"

case "${1:-status}" in
  up)
    for f in $(ls "$dir"/*.sql | sort); do
      v=$(basename "$f" .sql)
      if [ "$v" != "0000_baseline" ] && [ -n "$(psql_ -c "SELECT 1 FROM schema_migrations WHERE version='$v'")" ]; then continue; fi
      echo "applying $v"
      if grep -q CONCURRENTLY "$f"; then psql_ -f "$f"; else psql_ -1 -f "$f"; fi
      psql_ -c "INSERT INTO schema_migrations(version) VALUES ('$v') ON CONFLICT DO NOTHING"
    done ;;
  status)
    psql_ -c "SELECT version, applied_at FROM schema_migrations ORDER BY version" ;;
esac
