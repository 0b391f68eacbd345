#!/usr/bin/env bash
# Run a command (after --) and post its result to the user's Slack incoming webhook.
set -uo pipefail
tail_n=0; status=""; title=""
while [ $# -gt 0 ]; do
  case "$1" in
    --tail) tail_n=$2; shift 2;;
    --status) status=$2; shift 2;;
    --title) title=$2; shift 2;;
    --) shift; break;;
    *) break;;
  esac
done
: "${SLACK_WEBHOOK_URL:?set SLACK_WEBHOOK_URL to your Slack incoming webhook}"
case "$SLACK_WEBHOOK_URL" in https://hooks.slack.com/*) ;; *) echo "refusing: not a Slack webhook URL" >&2; exit 2;; esac

start=$(date +%s); log=$(mktemp); rc=0
if [ $# -gt 0 ]; then
  title=${title:-"$*"}
  "$@" 2>&1 | tee "$log"; rc=${PIPESTATUS[0]}
  status=$([ $rc -eq 0 ] && echo success || echo failure)
fi
dur=$(( $(date +%s) - start ))
icon=$([ "$status" = "success" ] && echo "✅" || echo "❌")
repo=$(basename "$(git rev-parse --show-toplevel 2>/dev/null || pwd)")
branch=$(git rev-parse --abbrev-ref HEAD 2>/dev/null || echo "-")
commit=$(git log -1 --format='%h %s' 2>/dev/null || echo "-")
link=""; [ -n "${GITHUB_RUN_ID:-}" ] && link="${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/actions/runs/${GITHUB_RUN_ID}"
extra=""; [ "$tail_n" -gt 0 ] && extra=$(tail -n "$tail_n" "$log")

payload=$(python3 - "$icon $status: $title" "$repo @ $branch · $commit · $((dur/60))m $((dur%60))s ${link}" "$extra" <<'PY'
import json, sys
title, ctx, extra = sys.argv[1:4]
blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": f"*{title}*"}},
          {"type": "context", "elements": [{"type": "mrkdwn", "text": ctx}]}]
if extra:
    blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": "```" + extra[-2800:] + "```"}})
print(json.dumps({"text": title, "blocks": blocks}))
PY
)
curl -fsS -X POST -H 'Content-Type: application/json' --data "$payload" "$SLACK_WEBHOOK_URL" >/dev/null
rm -f "$log"
exit $rc
