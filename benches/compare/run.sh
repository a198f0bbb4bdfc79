#!/usr/bin/env bash
# The cross-library comparison of issue 7, by hand (not in CI):  bash benches/compare/run.sh
# ROUNDS (default 5) rounds; in each, for the portable build and then for
# `-C target-cpu=native` / `-march=native`, the Rust program (baseline, ferroflow on 1 and
# 2 threads), the FANN program, the dfdx program, the candle program and PyTorch (1 and 2
# threads) run one after the other. The builds alternate round by round, so a change in
# the machine's load falls on both. Prints medians, ratios to the baseline and GFLOP/s as
# Markdown (summary.py), and what a default build of ferroflow reaches against the native
# builds. Needs gcc and Debian's libfann-dev; PyTorch needs PYTHON (default python3) to
# import torch and numpy, and is skipped if it cannot. RUST_ONLY=1 runs the Rust program
# alone (baseline and ferroflow, both builds): no libfann, dfdx or candle needed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
rounds="${ROUNDS:-5}"
out="${OUT:-$here/target/results}"
mkdir -p "$out"
rust_only="${RUST_ONLY:-}"
if [ -z "$rust_only" ] && [ ! -f /usr/include/floatfann.h ]; then
  echo "needs libfann-dev (apt-get install libfann-dev)" >&2
  exit 1
fi
python="${PYTHON:-python3}"
if [ -n "$rust_only" ]; then
  pytorch=
elif "$python" -c "import torch, numpy" 2>/dev/null; then
  pytorch=1
else
  pytorch=
  echo "PyTorch skipped: $python cannot import torch and numpy. To include it:" >&2
  echo "  python3 -m venv ~/venv-torch && ~/venv-torch/bin/pip install torch numpy" >&2
  echo "  PYTHON=~/venv-torch/bin/python bash $0" >&2
fi
unset CARGO_TARGET_DIR
cargo build --release --quiet --target-dir target/portable
RUSTFLAGS="-C target-cpu=native" cargo build --release --quiet --target-dir target/native
if [ -z "$rust_only" ]; then
  (cd dfdx && cargo build --release --quiet --target-dir ../target/dfdx-portable)
  (cd dfdx && RUSTFLAGS="-C target-cpu=native" cargo build --release --quiet --target-dir ../target/dfdx-native)
  (cd candle && cargo build --release --quiet --target-dir ../target/candle-portable)
  (cd candle && RUSTFLAGS="-C target-cpu=native" cargo build --release --quiet --target-dir ../target/candle-native)
  cc -O3 fann.c -lfloatfann -lm -o target/fann-portable
  cc -O3 -march=native fann.c -lfloatfann -lm -o target/fann-native
  mkdir -p target/data
  target/portable/release/compare --write-data target/data
fi
: > "$out/portable.txt"
: > "$out/native.txt"
for round in $(seq "$rounds"); do
  for build in portable native; do
    echo "round $round/$rounds ($build)" >&2
    "target/$build/release/compare" >> "$out/$build.txt"
    if [ -n "$rust_only" ]; then
      continue
    fi
    "target/fann-$build" target/data >> "$out/$build.txt"
    # One thread, as the others (dfdx's CPU matmul may use rayon's pool).
    RAYON_NUM_THREADS=1 "target/dfdx-$build/release/ferroflow-compare-dfdx" target/data >> "$out/$build.txt"
    # candle's matmuls (gemm) and some element-wise kernels use a thread per core otherwise.
    RAYON_NUM_THREADS=1 "target/candle-$build/release/ferroflow-compare-candle" target/data >> "$out/$build.txt"
    # Not compiled by us: the same PyTorch in both builds' rounds, a control for the load.
    if [ -n "$pytorch" ]; then
      "$python" pytorch.py target/data >> "$out/$build.txt"
    fi
  done
done
python3 summary.py "$out/portable.txt" "$out/native.txt"
