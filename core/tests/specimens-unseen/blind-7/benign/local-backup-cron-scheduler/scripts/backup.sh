#!/usr/bin/env bash
# Local rsync snapshot backup with rotation. Usage: SRC=... DEST=... backup.sh [--dry-run]
set -euo pipefail
: "${SRC:?set SRC}"; : "${DEST:?set DEST}"
DRY=""; [ "${1:-}" = "--dry-run" ] && DRY="--dry-run"

if ! mountpoint -q "$(df --output=target "$DEST" | tail -1)"; then
  echo "destination not on a mounted filesystem; aborting" >&2; exit 1
fi

SNAP="$DEST/$(date +%F)"
rsync -a --delete $DRY --link-dest="$DEST/latest" "$SRC/" "$SNAP/"
[ -z "$DRY" ] && ln -sfn "$SNAP" "$DEST/latest"

# keep 14 newest dated snapshots
ls -1d "$DEST"/20??-??-?? 2>/dev/null | sort | head -n -14 | while read -r old; do
  [ -z "$DRY" ] && rm -rf -- "$old"
done
echo "backup done: $SNAP"
