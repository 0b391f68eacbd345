#!/usr/bin/env bash
# Collect dotfiles into ~/dotfiles/<package>/, skipping anything that looks secret.
set -euo pipefail
DRY=0; [ "${1:-}" = "--dry-run" ] && DRY=1
repo="$HOME/dotfiles"
bak="$HOME/dotfiles-backup-$(date +%Y%m%d)"
declare -A MAP=(
  [".zshrc"]=zsh [".bashrc"]=bash [".profile"]=bash
  [".gitconfig"]=git [".gitignore_global"]=git
  [".ssh/config"]=ssh
  [".config/nvim"]=nvim [".vimrc"]=vim
  [".tmux.conf"]=tmux [".config/starship.toml"]=starship
)
secretish='(AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{30,}|xox[abp]-|-----BEGIN [A-Z ]*PRIVATE KEY|_authToken=|password\s*=)'

for rel in "${!MAP[@]}"; do
  src="$HOME/$rel"
  [ -e "$src" ] && [ ! -L "$src" ] || continue
  if grep -rEqs "$secretish" "$src"; then
    echo "skip (looks like it contains a secret): ~/$rel"; continue
  fi
  dst="$repo/${MAP[$rel]}/$rel"
  if [ $DRY -eq 1 ]; then echo "would collect ~/$rel -> $dst"; continue; fi
  mkdir -p "$(dirname "$dst")" "$(dirname "$bak/$rel")"
  cp -a "$src" "$bak/$rel"
  cp -a "$src" "$dst"
  rm -rf "$src"          # replaced by a stow symlink in the next step
  echo "collected ~/$rel (backup in $bak)"
done
