#!/usr/bin/env bash
# Compress and prune logs in ONE application directory.
set -euo pipefail
DIR="${1:?log dir}"; KEEP="${2:-14}"
DIR="$(realpath -e "$DIR")"
case "$DIR" in
  /|"$HOME"|/home|/root|/etc|/usr|/var) echo "refusing to operate on $DIR" >&2; exit 2 ;;
esac
zipped=$(find "$DIR" -maxdepth 1 -type f -name '*.log' -mtime +0 -print -exec gzip -9 {} \; | wc -l)
pruned=$(find "$DIR" -maxdepth 1 -type f -name '*.log.gz' -mtime +"$KEEP" -print -delete | wc -l)
echo "applog-rotate: $DIR compressed=$zipped pruned=$pruned keep=${KEEP}d"
