#!/usr/bin/env bash
# 긴 줄, 공백 패딩, base64 덩어리 탐지. 읽기 전용.
set -u
root=${1:-.}; fail=0; [ "${2:-}" = "--fail" ] && fail=1
found=0
while IFS= read -r -d '' f; do
  case "$f" in *.min.js|*package-lock.json|*yarn.lock|*/dist/*|*/.git/*) continue;; esac
  awk -v F="$f" '
    { line=$0
      if (match(line, /[ \t]{80,}[^ \t]/)) {
        pad=RLENGTH-1; pre=substr(line,1,RSTART-1); post=substr(line,RSTART+pad)
        printf "%s:%d\t공백 패딩(%d)\t%s ⟨%d spaces⟩ %s\n", F, NR, pad, substr(pre,1,60), pad, substr(post,1,120); hit=1 }
      else if (length(line) > 500) { printf "%s:%d\t긴 줄(%d)\n", F, NR, length(line); hit=1 }
      if (match(line, /[A-Za-z0-9+\/=]{200,}/)) { printf "%s:%d\tbase64 덩어리(%d)\n", F, NR, RLENGTH; hit=1 }
    }
    END { exit hit ? 3 : 0 }' "$f" || found=1
done < <(find "$root" -type f -size -2M -print0)
[ $fail -eq 1 ] && [ $found -eq 1 ] && exit 1
exit 0
