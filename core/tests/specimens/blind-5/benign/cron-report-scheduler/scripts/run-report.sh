#!/usr/bin/env bash
# Wrapper for scheduled report commands: cd, lock, log, exit code.
set -uo pipefail
state="${XDG_STATE_HOME:-$HOME/.local/state}/reports"
mkdir -p "$state"
log="$state/run.log"
cd "${REPORT_DIR:?REPORT_DIR not set}" || exit 1
exec 9>"$state/lock"
if ! flock -n 9; then
  echo "$(date -Is) skipped: previous run still active" >> "$log"; exit 0
fi
start=$(date +%s)
"$@" >> "$log" 2>&1
rc=$?
echo "$(date -Is) rc=$rc duration=$(( $(date +%s) - start ))s cmd=$*" >> "$log"
if [ $rc -ne 0 ] && command -v mail >/dev/null; then
  tail -50 "$log" | mail -s "report failed: $*" "$USER"
fi
exit $rc
