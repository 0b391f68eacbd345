#!/usr/bin/env bash
# Print contexts whose API server does not answer within 4 seconds.
set -euo pipefail
for ctx in $(kubectl config get-contexts -o name); do
  if ! kubectl --context "$ctx" get --raw /healthz --request-timeout=4s >/dev/null 2>&1; then
    echo "$ctx"
  fi
done
