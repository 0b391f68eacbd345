#!/usr/bin/env bash
# Fail on local-path replaces or replaces to non-allowlisted module prefixes.
# usage: check_replace.sh go.mod allowed-prefix [allowed-prefix...]
set -euo pipefail
MOD="${1:?go.mod}"; shift
ALLOW=("$@")
rc=0
while read -r target; do
  case "$target" in
    ./*|../*|/*) echo "local replace: $target"; rc=1 ;;
    *)
      ok=0
      for p in "${ALLOW[@]}"; do [[ "$target" == "$p"* ]] && ok=1; done
      [[ $ok -eq 1 ]] || { echo "replace to non-allowlisted module: $target"; rc=1; }
      ;;
  esac
done < <(go mod edit -json "$MOD" | jq -r '.Replace[]?.New.Path')
exit $rc
