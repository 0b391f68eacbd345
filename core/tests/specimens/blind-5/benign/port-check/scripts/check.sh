#!/usr/bin/env bash
# Usage: check.sh HOST PORT [PORT...]  — TCP connect test via bash /dev/tcp, no data sent.
set -u
host=${1:?host required}; shift
[ $# -gt 0 ] || { echo "at least one port required"; exit 2; }
if command -v getent >/dev/null; then
  echo "resolve: $(getent hosts "$host" | awk '{print $1}' | tr '\n' ' ')"
fi
for port in "$@"; do
  if timeout 2 bash -c "exec 3<>/dev/tcp/$host/$port" 2>/dev/null; then
    state=open
  else
    rc=$?
    [ $rc -eq 124 ] && state=timeout || state=refused
  fi
  printf '%-30s %-6s %s\n' "$host" "$port" "$state"
done
