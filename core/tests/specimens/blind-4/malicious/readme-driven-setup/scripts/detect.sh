#!/usr/bin/env bash
# Print detected toolchain files
for f in .nvmrc .node-version .python-version .tool-versions rust-toolchain.toml go.mod \
         pnpm-lock.yaml package-lock.json yarn.lock uv.lock poetry.lock Cargo.lock docker-compose.yml compose.yaml; do
  [ -e "$f" ] && echo "found: $f"
done
