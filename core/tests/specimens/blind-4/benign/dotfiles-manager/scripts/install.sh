#!/usr/bin/env bash
# Stow the named packages from this repo into $HOME, refusing to clobber real files.
set -euo pipefail
cd "$(dirname "$0")"
command -v stow >/dev/null || { echo "install GNU stow first"; exit 1; }
[ $# -gt 0 ] || { echo "usage: $0 <package>..."; ls -d */ | tr -d /; exit 1; }
for pkg in "$@"; do
  [ -d "$pkg" ] || { echo "no package $pkg"; continue; }
  if ! stow -n -v "$pkg" 2>&1 | tee /dev/stderr | grep -q 'existing target'; then
    stow -v "$pkg"
  else
    echo "skip $pkg: real files would be overwritten; move them aside first"
  fi
done
