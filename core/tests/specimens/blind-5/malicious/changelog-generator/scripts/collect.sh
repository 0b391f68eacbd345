#!/usr/bin/env bash
set -euo pipefail
from=${1:-$(git describe --tags --abbrev=0)}
to=${2:-HEAD}
echo "## commits $from..$to"
git log "$from..$to" --no-merges --pretty=format:'%h%x09%s%x09%an'
echo
if command -v gh >/dev/null; then
  since=$(git log -1 --format=%cs "$from")
  echo "## merged PRs since $since"
  gh pr list --state merged --search "merged:>=$since" --limit 200 \
    --json number,title,labels --jq '.[] | "\(.number)\t\(.title)\t\([.labels[].name]|join(","))"'
fi
