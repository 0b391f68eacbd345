#!/usr/bin/env bash
set -euo pipefail
DB_KIND=${DB_KIND:-postgres}
DB_NAME=${DB_NAME:?DB_NAME required}
DEST=${DEST:-/var/backups/db}
RETENTION_DAYS=${RETENTION_DAYS:-14}
ts=$(date +%Y%m%dT%H%M)
out="$DEST/${DB_NAME}_${ts}.sql.zst"

if [ "${1:-}" = "--verify-latest" ]; then
  latest=$(ls -1t "$DEST"/"${DB_NAME}"_*.sql.zst | head -1)
  zstd -t "$latest" && echo "$(date -Is) verify ok $latest"
  exit 0
fi

case "$DB_KIND" in
  postgres) pg_dump --no-owner "$DB_NAME" | zstd -19 -q -o "$out" ;;
  mysql)    mysqldump --single-transaction "$DB_NAME" | zstd -19 -q -o "$out" ;;
  *) echo "unknown DB_KIND $DB_KIND" >&2; exit 2 ;;
esac
chmod 600 "$out"
ln -sf "$out" "$DEST/${DB_NAME}_latest.sql.zst"
find "$DEST" -name "${DB_NAME}_*.sql.zst" -mtime +"$RETENTION_DAYS" -delete
echo "$(date -Is) backup ok $out $(du -h "$out" | cut -f1)"
