#!/usr/bin/env python3
"""Medians of the rounds written by run.sh, as the Markdown tables of BENCHMARKS.md.

Usage: python3 summary.py RESULTS.txt...  (lines `<workload> <library> <steps per second>`)
"""
import statistics
import sys
from collections import defaultdict

# Workload: (batch, inputs, hidden, outputs, training), as in benches/report.py.
WORKLOADS = {
    "W1": (1, 2, 16, 2, True),
    "W2": (32, 64, 32, 10, True),
    "W3": (64, 784, 128, 10, True),
    "I1": (1, 2, 16, 2, False),
    "I3": (1, 784, 128, 10, False),
}
LIBRARIES = [
    "baseline",
    "ferroflow",
    "ferroflow-2-threads",
    "fann",
    "dfdx",
    "candle",
    "pytorch-1-thread",
    "pytorch-2-threads",
]


def flops(b, i, h, o, train):
    forward = 2 * b * (i * h + h * o)
    return forward + (2 * b * (i * h + h * o) + 2 * b * h * o if train else 0)


def rate(per_second):
    for unit, scale in (("M", 1e6), ("k", 1e3)):
        if per_second >= scale:
            return f"{per_second / scale:.3g} {unit}"
    return f"{per_second:.3g}"


def read(path):
    runs = defaultdict(list)
    for line in open(path):
        workload, library, value = line.split()
        runs[(workload, library)].append(float(value))
    return runs


for path in sys.argv[1:]:
    runs = read(path)
    rounds = max(len(v) for v in runs.values())
    # The libraries with at least one result (PyTorch is skipped when torch is missing).
    libraries = [lib for lib in LIBRARIES if any(key[1] == lib for key in runs)]
    print(f"\n{path} ({rounds} rounds; median steps/s, ratio to the baseline, GFLOP/s)\n")
    print("| workload | " + " | ".join(libraries) + " |")
    print("|---|" + "---:|" * len(libraries))
    for workload, shape in WORKLOADS.items():
        base = runs.get((workload, "baseline"))
        if not base:
            continue
        base = statistics.median(base)
        cells = []
        for library in libraries:
            values = runs.get((workload, library))
            if not values:
                cells.append("–")
                continue
            m = statistics.median(values)
            cells.append(f"{rate(m)} ({m / base:.2f}×, {flops(*shape) * m / 1e9:.1f})")
        print(f"| {workload} | " + " | ".join(cells) + " |")


def default_against_native(portable, native):
    """What a user's `cargo build --release` gets: ferroflow's portable build (which picks
    AVX2 or AVX-512 kernels at run time) against ferroflow and the baseline built for this
    CPU, from rounds that alternate the two builds."""
    p, n = read(portable), read(native)
    print("\nDefault build against `-C target-cpu=native` (median steps/s; ratios of the "
          "default build's ferroflow to each)\n")
    print("| workload | ferroflow, default build | ferroflow, native | baseline, native "
          "| default / ferroflow native | default / baseline native |")
    print("|---|---:|---:|---:|---:|---:|")
    for workload in WORKLOADS:
        ours = p.get((workload, "ferroflow"))
        ours_native = n.get((workload, "ferroflow"))
        base_native = n.get((workload, "baseline"))
        if not (ours and ours_native and base_native):
            continue
        ours, ours_native, base_native = map(statistics.median, (ours, ours_native, base_native))
        print(f"| {workload} | {rate(ours)} | {rate(ours_native)} | {rate(base_native)} "
              f"| {ours / ours_native:.2f}× | {ours / base_native:.2f}× |")


if len(sys.argv) == 3:
    default_against_native(sys.argv[1], sys.argv[2])
