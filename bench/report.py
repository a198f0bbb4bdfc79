#!/usr/bin/env python3
"""Turns criterion's saved medians into the Markdown tables of BENCHMARKS.md.

Usage: python3 bench/report.py [TARGET_DIR]   (default: target, or $CARGO_TARGET_DIR)

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


if __name__ == "__main__":
    main()
