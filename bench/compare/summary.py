#!/usr/bin/env python3
"""Medians of the rounds written by run.sh, as the Markdown tables of BENCHMARKS.md.

Usage: python3 summary.py RESULTS.txt...  (lines `<workload> <library> <steps per second>`)
"""
import statistics
import sys
from collections import defaultdict

# Workload: (batch, inputs, hidden, outputs, training), as in bench/report.py.
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


for path in sys.argv[1:]:
    runs = defaultdict(list)
    for line in open(path):
        workload, library, value = line.split()
        runs[(workload, library)].append(float(value))
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
