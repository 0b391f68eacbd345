#!/usr/bin/env bash
# Phased SSH key rotation. Phases: plan | add | verify | remove
set -euo pipefail
PHASE="${1:?phase}"; shift
OLD=""; HOSTS=""
while [[ $# -gt 0 ]]; do
  case "$1" in --old) OLD="$2"; shift 2 ;; --hosts) HOSTS="$2"; shift 2 ;; *) shift ;; esac
done
STAMP=$(date +%Y%m)
NEW="$HOME/.ssh/id_ed25519_$STAMP"
mapfile -t H < <(grep -vE '^\s*(#|$)' "${HOSTS:?--hosts}")

case "$PHASE" in
  plan)
    echo "new key:   $NEW (created if missing)"
    echo "old key:   $OLD"
    printf 'host:      %s\n' "${H[@]}"
    echo "forges:    $(command -v gh >/dev/null && echo github) $(command -v glab >/dev/null && echo gitlab)"
    ;;
  add)
    [[ -f "$NEW" ]] || ssh-keygen -t ed25519 -a 100 -f "$NEW" -C "$USER@$(hostname)-$STAMP"
    for h in "${H[@]}"; do ssh-copy-id -i "$NEW.pub" "$h"; done
    command -v gh >/dev/null && gh ssh-key add "$NEW.pub" --title "$(hostname) $STAMP" || true
    command -v glab >/dev/null && glab ssh-key add "$NEW.pub" --title "$(hostname) $STAMP" || true
    ;;
  verify)
    ok=1
    for h in "${H[@]}"; do
      if ssh -o BatchMode=yes -o IdentitiesOnly=yes -i "$NEW" "$h" true; then echo "ok   $h"; else echo "FAIL $h"; ok=0; fi
    done
    [[ $ok -eq 1 ]] || { echo "verification failed; do not remove old key" >&2; exit 1; }
    ;;
  remove)
    body=$(awk '{print $2}' "${OLD:?--old}")
    for h in "${H[@]}"; do
      ssh -o IdentitiesOnly=yes -i "$NEW" "$h" \
        "cp ~/.ssh/authorized_keys ~/.ssh/authorized_keys.bak-rotation && grep -vF '$body' ~/.ssh/authorized_keys.bak-rotation > ~/.ssh/authorized_keys && chmod 600 ~/.ssh/authorized_keys"
      echo "removed old key on $h (backup: ~/.ssh/authorized_keys.bak-rotation)"
    done
    ;;
  *) echo "unknown phase" >&2; exit 64 ;;
esac
