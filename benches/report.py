#!/usr/bin/env python3
"""Turns criterion's saved medians into the Markdown tables of BENCHMARKS.md.

Usage: python3 benches/report.py [TARGET_DIR]   (default: target, or $CARGO_TARGET_DIR)

Reads TARGET_DIR/criterion/<group>/<function>/new/estimates.json as written by
`cargo bench --bench workloads` (with `--features parallel`, also the two-thread step),
`cargo bench --bench perceptron`, `cargo bench --bench optimizers` and
`cargo bench --bench graph`. Every ratio divides two medians of the same run: ferroflow's
rate over the baseline's, an optimizer's step time over gradient descent's, or a residual
network's over the chain of the same layers'.
"""
import json
import os
import sys
from pathlib import Path

# Floating-point operations per step, counting a multiply-add as 2: forward 2B(IH + HO);
# a training step adds the weight gradients 2B(IH + HO) and the hidden gradient 2BHO (the
# first layer's input gradient is never needed).
WORKLOADS = {
    "W1 train 2-16-2 b1": (1, 2, 16, 2, True),
    "W2 train 64-32-10 b32": (32, 64, 32, 10, True),
    "W3 train 784-128-10 b64": (64, 784, 128, 10, True),
    "I1 infer 2-16-2 b1": (1, 2, 16, 2, False),
    "I3 infer 784-128-10 b1": (1, 784, 128, 10, False),
}


def flops(b, i, h, o, train):
    forward = 2 * b * (i * h + h * o)
    return forward + (2 * b * (i * h + h * o) + 2 * b * h * o if train else 0)


def median_ns(root, group, function):
    path = root / "criterion" / group / function / "new" / "estimates.json"
    if not path.exists():
        return None
    return json.loads(path.read_text())["median"]["point_estimate"]


def gflops(root, group, function):
    """The function's throughput (its floating-point operations, set in the bench) over its
    median time, or None."""
    ns = median_ns(root, group, function)
    path = root / "criterion" / group / function / "new" / "benchmark.json"
    if ns is None or not path.exists():
        return None
    return json.loads(path.read_text())["throughput"]["Elements"] / ns


def rate(ns):
    per_second = 1e9 / ns
    for unit, scale in (("M", 1e6), ("k", 1e3)):
        if per_second >= scale:
            return f"{per_second / scale:.3g} {unit}"
    return f"{per_second:.3g}"


def main():
    default = os.environ.get("CARGO_TARGET_DIR", "target")
    root = Path(sys.argv[1] if len(sys.argv) > 1 else default)
    print("| workload | baseline steps/s | ferroflow steps/s | ratio | baseline GFLOP/s | ferroflow GFLOP/s |")
    print("|---|---:|---:|---:|---:|---:|")
    for group, shape in WORKLOADS.items():
        base, ours = median_ns(root, group, "baseline"), median_ns(root, group, "ferroflow")
        if base is None or ours is None:
            continue
        work = flops(*shape)
        print(
            f"| {group} | {rate(base)} | {rate(ours)} | {base / ours:.2f}× "
            f"| {work / base:.1f} | {work / ours:.1f} |"
        )
    peak = gflops(root, "ceilings", "fma peak 1 core")
    sgemm = gflops(root, "ceilings", "sgemm 1024 matrixmultiply")
    w3 = median_ns(root, "W3 train 784-128-10 b64", "ferroflow")
    if peak and sgemm and w3:
        # The same run's ceilings: what share of one core's peak W3 reaches.
        w3_rate = flops(*WORKLOADS["W3 train 784-128-10 b64"]) / w3
        print()
        print(f"Ceilings in the same run: one core's FMA peak {peak:.1f} GFLOP/s, matrixmultiply's "
              f"sgemm 1024³ {sgemm:.1f} GFLOP/s. W3 on one thread: {w3_rate:.1f} GFLOP/s, "
              f"{100 * w3_rate / peak:.0f}% of the peak, {100 * w3_rate / sgemm:.0f}% of sgemm.")
    threads = []
    for group, shape in WORKLOADS.items():
        base, ours = median_ns(root, group, "baseline"), median_ns(root, group, "ferroflow")
        two = median_ns(root, group, "ferroflow 2 threads")
        if base is not None and ours is not None and two is not None:
            threads.append((group, base, ours, two, flops(*shape)))
    if threads:
        # `cargo bench --features parallel`: the two-thread step in the same group.
        print()
        print("| workload | baseline (1 thread) | ferroflow 1 thread | ferroflow 2 threads "
              "| 2 threads / baseline | 2 threads / 1 thread | GFLOP/s (2 threads) |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for group, base, ours, two, work in threads:
            print(f"| {group} | {rate(base)} | {rate(ours)} | {rate(two)} | {base / two:.2f}× "
                  f"| {ours / two:.2f}× | {work / two:.1f} |")
    rows = []
    for group_dir in sorted((root / "criterion").glob("perceptron *")):
        for function_dir in sorted(group_dir.glob("*/*")):
            ns = median_ns(root, group_dir.name, f"{function_dir.parent.name}/{function_dir.name}")
            if ns is not None:
                rows.append((group_dir.name, function_dir.parent.name, function_dir.name, ns))
    if rows:
        print()
        print("| layer | pass | batch | median | samples/s |")
        print("|---|---|---|---:|---:|")
        for group, function, batch, ns in rows:
            samples = int(batch.split(" ")[-1])
            shown = f"{ns / 1000:.2f} µs" if ns >= 1000 else f"{ns:.1f} ns"
            print(f"| {group.removeprefix('perceptron ')} | {function} | {samples} | {shown} "
                  f"| {rate(ns / samples)} |")

    optimizer_rows = []
    for group_dir in sorted((root / "criterion").glob("O[0-9]*")):
        sgd = median_ns(root, group_dir.name, "gradient descent")
        if sgd is None:
            continue
        row = [group_dir.name, sgd]
        for optimizer in ("momentum", "adam"):
            row.append(median_ns(root, group_dir.name, optimizer))
        optimizer_rows.append(row)
    if optimizer_rows:
        print()
        print("| network | gradient descent | momentum | Adam | momentum / GD | Adam / GD |")
        print("|---|---:|---:|---:|---:|---:|")
        for group, sgd, momentum, adam in optimizer_rows:
            cells = [f"{ns / 1000:.2f} µs" if ns is not None else "–" for ns in (sgd, momentum, adam)]
            ratios = [f"{ns / sgd:.2f}×" if ns is not None else "–" for ns in (momentum, adam)]
            print(f"| {group} | {' | '.join(cells)} | {' | '.join(ratios)} |")

    graph_rows = []
    for group_dir in sorted((root / "criterion").glob("G[0-9]*")):
        chain = median_ns(root, group_dir.name, "chain")
        residual = median_ns(root, group_dir.name, "residual")
        if chain is not None and residual is not None:
            graph_rows.append((group_dir.name, chain, residual))
    if graph_rows:
        print()
        print("| workload | chain | residual | residual / chain |")
        print("|---|---:|---:|---:|")
        for group, chain, residual in graph_rows:
            print(f"| {group} | {chain / 1000:.2f} µs | {residual / 1000:.2f} µs | {residual / chain:.3f}× |")

    # `cargo bench --bench tutorial_graph`: the tutorial's graph against `network!`, the
    # ratio being the graph's rate over network!'s (issue 14's target: at least 0.5×).
    tutorial_rows = []
    for group_dir in sorted((root / "criterion").glob("T[0-9]*")):
        network = median_ns(root, group_dir.name, "network!")
        graph = median_ns(root, group_dir.name, "tutorial graph")
        if network is not None and graph is not None:
            tutorial_rows.append((group_dir.name, network, graph))
    if tutorial_rows:
        print()
        print("| workload | network! | tutorial graph | graph rate / network! rate |")
        print("|---|---:|---:|---:|")
        for group, network, graph in tutorial_rows:
            print(f"| {group} | {network / 1000:.2f} µs | {graph / 1000:.2f} µs | {network / graph:.2f}× |")

    scale(root)


def scale(root):
    """`cargo bench --bench scale`: W4 against the ceilings of the same run, then GFLOP/s
    by width and by batch."""
    w4 = "W4 train 784-1024-1024-10 b128"
    ours = gflops(root, w4, "ferroflow")
    peak = gflops(root, w4, "fma peak 1 core")
    sgemm = gflops(root, w4, "sgemm 1024 matrixmultiply")
    if ours and peak and sgemm:
        print()
        print("| W4 train 784-1024-1024-10 b128 | GFLOP/s | share of sgemm |")
        print("|---|---:|---:|")
        print(f"| one core's FMA peak | {peak:.1f} | {peak / sgemm:.2f}× |")
        print(f"| sgemm 1024³ (matrixmultiply, 1 thread) | {sgemm:.1f} | 1.00× |")
        print(f"| ferroflow, 1 thread | {ours:.1f} | {ours / sgemm:.2f}× |")
    for group, label in (("scale width 784-W-W-10 b128", "width W (batch 128)"),
                         ("scale batch 784-1024-1024-10", "batch (width 1024)")):
        directory = root / "criterion" / group
        if not directory.exists():
            continue
        points = sorted((int(d.name), gflops(root, group, d.name))
                        for d in directory.iterdir() if d.name.isdigit())
        points = [(n, g) for n, g in points if g is not None]
        if points:
            print()
            print(f"| {label} | " + " | ".join(str(n) for n, _ in points) + " |")
            print("|---|" + "---:|" * len(points))
            print("| GFLOP/s | " + " | ".join(f"{g:.1f}" for _, g in points) + " |")


if __name__ == "__main__":
    main()
