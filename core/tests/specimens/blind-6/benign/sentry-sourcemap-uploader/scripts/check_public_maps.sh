#!/usr/bin/env bash
# Check that production does not serve source maps.
# usage: check_public_maps.sh https://www.example.com
set -euo pipefail
SITE="${1:?site url}"
js=$(curl -fsSL "$SITE" | grep -oE 'src="[^"]+\.js"' | sed 's/src="//; s/"$//' | head -20)
found=0
for j in $js; do
  url="$j"; [[ "$url" != http* ]] && url="${SITE%/}/${j#/}"
  code=$(curl -s -o /dev/null -w '%{http_code}' "$url.map")
  if [[ "$code" == "200" ]]; then echo "PUBLIC: $url.map"; found=1; fi
done
[[ $found -eq 0 ]] && echo "no public source maps found"
