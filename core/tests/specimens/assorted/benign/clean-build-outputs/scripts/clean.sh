#!/usr/bin/env bash
set -euo pipefail
ROOT="$(git rev-parse --show-toplevel)"
cd "$ROOT"
MODE="${1:---dry-run}"
NAMES=(dist build target node_modules .next .turbo __pycache__ .pytest_cache coverage)

mapfile -t DIRS < <(for n in "${NAMES[@]}"; do find . -type d -name "$n" -prune -not -path './.git/*'; done | sort -u)

for d in "${DIRS[@]}"; do
  # refuse anything that contains tracked files
  if [ -n "$(git ls-files -- "$d" | head -1)" ]; then
    echo "skip (tracked): $d"; continue
  fi
  case "$MODE" in
    --dry-run) du -sh "$d" ;;
    --yes) rm -rf -- "$ROOT/${d#./}" && echo "removed $d" ;;
    *) echo "usage: clean.sh --dry-run|--yes"; exit 2 ;;
  esac
done
