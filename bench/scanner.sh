#!/usr/bin/env bash
# Throughput of the built-in safety scanner on the 826 real skills of ../shared/corpus
# (skills/ and skills-extra/, every file as `spm publish` scans it), one core, measured
# with criterion for this tree and, in the same run, for a reference revision (default:
# the scanner before #16, which matched phrases only):
#   bench/scanner.sh [reference-rev]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
ref=${1:-48a108c}
work=$(mktemp -d)
trap 'git -C "$root" worktree remove --force "$work/ref" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git -C "$root" worktree add --detach "$work/ref" "$ref" >/dev/null 2>&1
# The reference gets this tree's bench (it only calls `safety::scan` and `eval::read_tree`).
mkdir -p "$work/ref/core/benches"
cp "$root/core/benches/scan.rs" "$work/ref/core/benches/scan.rs"
ln -s "$root/../shared" "$work/shared" 2>/dev/null || true
if ! grep -q '^\[\[bench\]\]' "$work/ref/core/Cargo.toml"; then
  sed -i 's/^\[dev-dependencies\]/[dev-dependencies]\ncriterion = { version = "0.5", default-features = false }/' "$work/ref/core/Cargo.toml"
  printf '\n[[bench]]\nname = "scan"\nharness = false\n' >> "$work/ref/core/Cargo.toml"
fi
run() { (cd "$1" && cargo bench -q -p spm-core --bench scan -- --noplot 2>/dev/null | grep -E 'thrpt' | head -1 | sed 's/.*thrpt: *//'); }
echo "this tree:        $(run "$root")"
echo "reference ($ref): $(CARGO_TARGET_DIR="$root/target/bench-ref" run "$work/ref")"
