#!/usr/bin/env bash
# What the training progress bar costs (BENCHMARKS.md, "Progress bar"): the digits
# 64 → 32 → 10 trained for EPOCHS epochs, RUNS times each way, alternating: with the bar
# under a pseudo-terminal (`script`, util-linux) and quiet under the same. Prints each
# run's wall-clock and on-processor training times, the bytes the terminal received, and
# the medians.
set -euo pipefail
cd "$(dirname "$0")/../.."
EPOCHS=${EPOCHS:-1000}
RUNS=${RUNS:-9}
cargo build --release --example progress_overhead >/dev/null 2>&1
bin=target/release/examples/progress_overhead
times=$(mktemp)
bytes=$(mktemp)
for _ in $(seq "$RUNS"); do
    script -qc "$bin quiet $EPOCHS $times" /dev/null | wc -c >>"$bytes.quiet"
    script -qc "$bin bar $EPOCHS $times" /dev/null | wc -c >>"$bytes.bar"
done
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
cat "$times"
echo "epochs $EPOCHS, runs $RUNS"
for column in 2 3; do
    name=$([ "$column" = 2 ] && echo wall-clock || echo on-processor)
    q=$(awk -v c="$column" '$1 == "quiet" { print $c }' "$times" | median)
    b=$(awk -v c="$column" '$1 == "bar" { print $c }' "$times" | median)
    echo "$name median: quiet ${q} s, bar ${b} s, bar / quiet $(awk -v b="$b" -v q="$q" 'BEGIN { printf "%.3f", b / q }')"
done
echo "terminal bytes: quiet median $(median <"$bytes.quiet"), bar median $(median <"$bytes.bar") (runs: $(tr '\n' ' ' <"$bytes.bar"))"
rm -f "$times" "$bytes.quiet" "$bytes.bar"
