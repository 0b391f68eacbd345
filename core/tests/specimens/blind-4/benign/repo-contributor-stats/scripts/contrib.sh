#!/usr/bin/env bash
# Contributor statistics from local git history. Read-only: runs git log/shortlog only.
set -euo pipefail
SINCE="${1:-1 year ago}"
echo "## Contributors since $SINCE"
echo
echo "| Author | Commits | Lines + | Lines - |"
echo "|--------|--------:|--------:|--------:|"
git log --since="$SINCE" --no-merges --format='@%aN' --numstat \
  | awk '/^@/ {a=substr($0,2); c[a]++; next} NF==3 && $1 ~ /^[0-9]+$/ {add[a]+=$1; del[a]+=$2}
         END {for (k in c) printf "| %s | %d | %d | %d |\n", k, c[k], add[k], del[k]}' \
  | sort -t'|' -k3 -rn
echo
echo "## Active months"
git log --since="$SINCE" --no-merges --format='%ad' --date=format:'%Y-%m' | sort | uniq -c | awk '{print "- "$2": "$1" commits"}'
