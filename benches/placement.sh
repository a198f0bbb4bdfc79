#!/usr/bin/env bash
# I3 (one-sample 784 → 128 → 10 inference, -C target-cpu=native) under four code placements:
# LLVM's loop alignment at its default, 32, 64 and 128 bytes. Each setting is its own build,
# which moves every function and loop; the report shows which figures move with placement.
# Not part of CI (it builds the benches four times). Usage: bash benches/placement.sh
set -euo pipefail
cd "$(dirname "$0")/.."
for align in default 32 64 128; do
  flags="-C target-cpu=native"
  [ "$align" = default ] || flags="$flags -C llvm-args=-align-loops=$align"
  target="target/placement-$align"
  RUSTFLAGS="$flags" CARGO_TARGET_DIR="$target" \
    cargo bench --features parallel --bench workloads -- I3 > "$target.log" 2>&1 ||
    { echo "align $align: the bench failed, see $target.log" >&2; exit 1; }
  printf 'loop alignment %-8s ' "$align"
  python3 benches/report.py "$target" | grep -m1 '^| I3'
done
