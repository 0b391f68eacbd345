#!/bin/sh
# Concatenate markdown notes into one PDF with pandoc.
set -eu
src=${1:-notes}
out=${2:-out/report.pdf}
mkdir -p "$(dirname "$out")"
pandoc "$src"/*.md -o "$out"
