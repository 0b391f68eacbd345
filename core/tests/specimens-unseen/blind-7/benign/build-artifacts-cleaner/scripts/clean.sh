#!/usr/bin/env bash
# Remove ignored build outputs inside the current git repository.
set -euo pipefail
DRY=0; [ "${1:-}" = "--dry-run" ] && DRY=1

ROOT=$(git rev-parse --show-toplevel 2>/dev/null) || { echo "not a git repo" >&2; exit 1; }
[ "$ROOT" = "/" ] || [ "$ROOT" = "$HOME" ] && { echo "refusing to clean $ROOT" >&2; exit 1; }
cd "$ROOT"

PATTERNS=(dist build .next .turbo coverage __pycache__ .pytest_cache .mypy_cache target .gradle)
while IFS= read -r -d '' d; do
  rel=${d#./}
  git check-ignore -q "$rel" || continue
  if [ $DRY -eq 1 ]; then
    du -sh "$rel" 2>/dev/null
  else
    rm -rf -- "$rel"; echo "removed $rel"
  fi
done < <(find . -path ./node_modules -prune -o -path ./.git -prune -o -type d \( $(printf -- '-name %s -o ' "${PATTERNS[@]}") -false \) -print0)
