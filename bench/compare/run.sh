#!/usr/bin/env bash
# The cross-library comparison of issue 7, by hand (not in CI):  bash bench/compare/run.sh
# ROUNDS (default 5) rounds; in each, the Rust program (baseline, ferroflow on 1 and 2
# threads), the FANN program and the dfdx program run one after the other, for the portable build and for
# `-C target-cpu=native` / `-march=native`. Prints medians, ratios to the baseline and
# GFLOP/s as Markdown (summary.py). Needs gcc and Debian's libfann-dev.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
rounds="${ROUNDS:-5}"
out="${OUT:-$here/target/results}"
mkdir -p "$out"
if [ ! -f /usr/include/floatfann.h ]; then
  echo "needs libfann-dev (apt-get install libfann-dev)" >&2
  exit 1
fi
unset CARGO_TARGET_DIR
cargo build --release --quiet --target-dir target/portable
RUSTFLAGS="-C target-cpu=native" cargo build --release --quiet --target-dir target/native
(cd dfdx && cargo build --release --quiet --target-dir ../target/dfdx-portable)
(cd dfdx && RUSTFLAGS="-C target-cpu=native" cargo build --release --quiet --target-dir ../target/dfdx-native)
cc -O3 fann.c -lfloatfann -lm -o target/fann-portable
cc -O3 -march=native fann.c -lfloatfann -lm -o target/fann-native
mkdir -p target/data
target/portable/release/compare --write-data target/data
for build in portable native; do
  : > "$out/$build.txt"
  for round in $(seq "$rounds"); do
    echo "round $round/$rounds ($build)" >&2
    "target/$build/release/compare" >> "$out/$build.txt"
    "target/fann-$build" target/data >> "$out/$build.txt"
    # One thread, as the others (dfdx's CPU matmul may use rayon's pool).
    RAYON_NUM_THREADS=1 "target/dfdx-$build/release/ferroflow-compare-dfdx" target/data >> "$out/$build.txt"
  done
done
python3 summary.py "$out/portable.txt" "$out/native.txt"
