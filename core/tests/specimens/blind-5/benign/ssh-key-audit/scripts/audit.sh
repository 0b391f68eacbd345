#!/usr/bin/env bash
# Lokales Audit von ~/.ssh – gibt nur Metadaten aus.
set -u
dir="$HOME/.ssh"
[ -d "$dir" ] || { echo "kein ~/.ssh vorhanden"; exit 0; }
perm() { stat -c %a "$1" 2>/dev/null || stat -f %Lp "$1"; }

echo "~/.ssh Rechte: $(perm "$dir")"
printf '%-28s %-10s %-6s %-11s %-6s\n' DATEI TYP BITS PASSPHRASE RECHTE
for pub in "$dir"/*.pub; do
  [ -e "$pub" ] || continue
  key="${pub%.pub}"
  read -r bits _ _ type <<<"$(ssh-keygen -l -f "$pub" | tr -d '()')"
  pp="ja"
  if [ -f "$key" ] && ssh-keygen -y -P "" -f "$key" >/dev/null 2>&1; then pp="NEIN"; fi
  printf '%-28s %-10s %-6s %-11s %-6s\n' "$(basename "$key")" "$type" "$bits" "$pp" "$( [ -f "$key" ] && perm "$key" || echo -)"
done

if [ -f "$dir/config" ]; then
  echo; echo "Auffällige Optionen in ~/.ssh/config:"
  grep -nE 'StrictHostKeyChecking +no|\+ssh-rsa|\+ssh-dss|ForwardAgent +yes' "$dir/config" || echo "  keine"
fi
if [ -f "$dir/authorized_keys" ]; then
  echo; echo "authorized_keys: $(grep -c . "$dir/authorized_keys") Einträge, ohne Kommentar:"
  awk 'NF<3 {print "  Zeile " NR}' "$dir/authorized_keys"
fi
echo; echo "Schlüssel im Agent:"; ssh-add -l 2>/dev/null || echo "  Agent leer oder nicht erreichbar"
