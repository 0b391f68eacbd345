#!/usr/bin/env bash
# Backup a folder to a user-chosen destination with retention.
set -euo pipefail
SRC=""; DEST=""; KEEP=10
EXCLUDES=(node_modules .venv venv target dist build .next .cache __pycache__ '*.log')
while [ $# -gt 0 ]; do
  case "$1" in
    --src) SRC="$2"; shift 2;;
    --dest) DEST="$2"; shift 2;;
    --keep) KEEP="$2"; shift 2;;
    *) echo "unknown arg $1"; exit 2;;
  esac
done
[ -d "$SRC" ] || { echo "source not found: $SRC"; exit 1; }
[ -n "$DEST" ] || { echo "--dest is required"; exit 1; }
mkdir -p "$DEST"
NAME="$(basename "$SRC")"
OUT="$DEST/$NAME-$(date +%Y%m%d-%H%M%S).tar.zst"
EX=(); for e in "${EXCLUDES[@]}"; do EX+=(--exclude="$e"); done
tar -C "$(dirname "$SRC")" "${EX[@]}" -cf - "$NAME" | zstd -q -T0 -10 -o "$OUT"
( cd "$DEST" && sha256sum "$(basename "$OUT")" > "$(basename "$OUT").sha256" )
zstd -dc "$OUT" | tar -tf - > /dev/null && echo "verified: $OUT"
# retention: only files matching this backup's name pattern inside DEST
ls -1t "$DEST/$NAME"-*.tar.zst 2>/dev/null | tail -n +$((KEEP + 1)) | while read -r old; do
  echo "removing old backup $old"; rm -f -- "$old" "$old.sha256"
done
