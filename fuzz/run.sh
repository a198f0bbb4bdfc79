#!/usr/bin/env bash
# Fuzzes ferroflow's loaders (IDX, CSV, safetensors) with cargo-fuzz, for CI and by hand:
#   bash fuzz/run.sh               # every target, 45 s each
#   FUZZ_SECONDS=300 bash fuzz/run.sh csv
#
# Installs cargo-fuzz if missing, builds the targets with nightly, then runs each for
# FUZZ_SECONDS from the seeds (fuzz/seeds/), the saved regressions (fuzz/regressions/) and
# the corpus of earlier runs (fuzz/corpus/, not committed). A crash, leak, timeout or
# out-of-memory input is copied to fuzz/regressions/<target>/, where the stable test
# tests/fuzz_regressions.rs replays it, and the script exits 1.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
export CARGO_TERM_COLOR=never
unset CARGO_TARGET_DIR
seconds="${FUZZ_SECONDS:-45}"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(idx csv safetensors)

if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  cargo +nightly install cargo-fuzz --locked
fi
cargo +nightly fuzz --version

cargo +nightly fuzz build

found=()
for target in "${targets[@]}"; do
  printf '\n== fuzz %s for %ss\n' "$target" "$seconds"
  mkdir -p "corpus/$target" "regressions/$target"
  rm -rf "artifacts/$target"
  status=0
  cargo +nightly fuzz run "$target" "corpus/$target" "seeds/$target" "regressions/$target" -- \
    -max_total_time="$seconds" -timeout=30 -print_final_stats=1 >"corpus/$target.log" 2>&1 || status=$?
  grep -E '^(Done|stat::number_of_executed_units)' "corpus/$target.log" || true
  for artifact in "artifacts/$target"/*; do
    [ -f "$artifact" ] || continue
    cp "$artifact" "regressions/$target/"
    found+=("regressions/$target/$(basename "$artifact")")
  done
  if [ "$status" != 0 ]; then
    grep -E -A 12 'panicked at|ERROR: libFuzzer|SUMMARY' "corpus/$target.log" | head -n 40 || true
    [ ${#found[@]} -gt 0 ] || found+=("$target: cargo fuzz exited $status, no artifact (see fuzz/corpus/$target.log)")
  fi
done

if [ ${#found[@]} -gt 0 ]; then
  printf 'FAILED: fuzzing found inputs that break the checks, saved for the regression test:\n' >&2
  printf '  %s\n' "${found[@]}" >&2
  exit 1
fi
echo "no crash in ${#targets[@]} targets, ${seconds}s each"
