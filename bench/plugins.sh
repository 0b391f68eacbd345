#!/usr/bin/env bash
# Per-call time of the same safety scanner written in Rust, Python and JavaScript (the
# `spm plugin new` templates), on one ~48 KB skill, each called 200 times in one process
# after its first call (a fresh instance per call, as the server does).
#   bench/plugins.sh            # builds spm in release first
# Needs a wasm32 Rust toolchain, componentize-py and componentize-js (cli/tests/plugin-toolchains).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cargo build --release -q -p spm-cli --manifest-path "$root/Cargo.toml"
spm="$root/target/release/spm"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SPM_HOME="$work/home" SPM_COMPONENTIZE_JS="$root/cli/tests/plugin-toolchains/node_modules/.bin/componentize-js"
# A ~48 KB skill: prose and a script, text files a scanner reads whole.
mkdir -p "$work/skill/scripts"
{ printf -- '---\nname: bench-skill\ndescription: A skill of about 48 KB for timing plugins.\nversion: 1.0.0\n---\n# Bench\n'
  for i in $(seq 1 400); do echo "Step $i: read the report, check the totals and write a summary line for the table."; done; } > "$work/skill/SKILL.md"
for i in $(seq 1 300); do echo "print('line $i of the helper script, nothing to see here')"; done > "$work/skill/scripts/helper.py"
du -sh "$work/skill"
cd "$work"
for lang in rust python js; do
  "$spm" plugin new "bench-$lang" --lang "$lang" >/dev/null 2>&1
  (cd "bench-$lang" && "$spm" plugin build . --out dist >/dev/null)
  wasm=$(ls "bench-$lang"/dist/*.wasm)
  printf '%-7s %6s KB component: ' "$lang" "$(( $(stat -c %s "$wasm") / 1024 ))"
  "$spm" plugin run "$wasm" "$work/skill" --set words=TODO,FIXME --timeout-ms 5000 --repeat 201 2>&1 >/dev/null | tail -1
done
