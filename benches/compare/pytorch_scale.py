#!/usr/bin/env python3
"""PyTorch beside `benches/scale.rs`: the same 784 -> W -> W -> 10 network (ReLU, ReLU,
cross-entropy on the logits, SGD at 0.01), float32, one thread, timed on random pixels and
classes. Prints the rows of the width and batch tables of BENCHMARKS.md as GFLOP/s,
counted as `benches/scale.rs` counts them, torch's own sgemm on 1024 x 1024 matrices, and
torch's products of W3's shapes (the forward 64 x 784 . 784 x 128 and the weight gradient
784 x 64 . 64 x 128): what a maintained sgemm reaches on the products that are most of
W3's step.

Usage: PYTHON=~/venv-torch/bin/python; $PYTHON benches/compare/pytorch_scale.py
(not in CI; see benches/compare/README.md for installing torch).
"""
import time

import torch
import torch.nn.functional as F

WINDOW = 1.5  # seconds timed per point, after a fifth of it as warm-up


def train_flops(w, b):
    products = 784 * w + w * w + w * 10
    return 4 * b * products + 2 * b * (w * w + w * 10)


def steps_per_second(step):
    start = time.perf_counter()
    while time.perf_counter() - start < WINDOW / 5:
        step()
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < WINDOW:
        for _ in range(4):
            step()
        n += 4
    return n / (time.perf_counter() - start)


def train_rate(w, b):
    torch.manual_seed(7)
    net = torch.nn.Sequential(
        torch.nn.Linear(784, w), torch.nn.ReLU(),
        torch.nn.Linear(w, w), torch.nn.ReLU(),
        torch.nn.Linear(w, 10),
    )
    sgd = torch.optim.SGD(net.parameters(), lr=0.01)
    x = torch.rand(b, 784)
    y = torch.randint(0, 10, (b,))

    def step():
        sgd.zero_grad()
        loss = F.cross_entropy(net(x), y)
        loss.backward()
        sgd.step()

    return train_flops(w, b) * steps_per_second(step) / 1e9


def sgemm_rate(n=1024):
    a, b = torch.rand(n, n), torch.rand(n, n)
    out = torch.empty(n, n)
    return 2 * n ** 3 * steps_per_second(lambda: torch.mm(a, b, out=out)) / 1e9


def product_rate(m, k, n, transposed=False):
    """GFLOP/s of torch.mm on an m x k by k x n product; `transposed`: the left factor is
    the transpose of a k x m matrix, as the weight gradient's x^T is."""
    a = torch.rand(k, m).t() if transposed else torch.rand(m, k)
    b, out = torch.rand(k, n), torch.empty(m, n)
    return 2 * m * k * n * steps_per_second(lambda: torch.mm(a, b, out=out)) / 1e9


def main():
    torch.set_num_threads(1)
    print(f"torch {torch.__version__}, 1 thread, CPU capability "
          f"{torch.backends.cpu.get_cpu_capability()}")
    print(f"sgemm 1024: {sgemm_rate():.1f} GFLOP/s")
    print(f"W3 forward product 64x784 . 784x128: {product_rate(64, 784, 128):.1f} GFLOP/s")
    print(f"W3 weight gradient 784x64 . 64x128 (x transposed): "
          f"{product_rate(784, 64, 128, transposed=True):.1f} GFLOP/s")
    print(f"W4 (width 1024, batch 128): {train_rate(1024, 128):.1f} GFLOP/s")
    widths = [128, 512, 1024, 2048]
    print("| width W (batch 128) | " + " | ".join(map(str, widths)) + " |")
    print("| PyTorch GFLOP/s | " + " | ".join(f"{train_rate(w, 128):.1f}" for w in widths) + " |")
    batches = [1, 32, 128, 256]
    print("| batch (width 1024) | " + " | ".join(map(str, batches)) + " |")
    print("| PyTorch GFLOP/s | " + " | ".join(f"{train_rate(1024, b):.1f}" for b in batches) + " |")


if __name__ == "__main__":
    main()
