#!/usr/bin/env python3
"""One round of the comparison for PyTorch on the CPU, timed like src/main.rs.

Usage: python3 pytorch.py DATA_DIR  (the batches written by `compare --write-data DIR`)

For each workload, on 1 thread and then on 2 (`torch.set_num_threads`), each time from a
fresh network: nn.Linear, sigmoid, nn.Linear (the logits), softmax with cross-entropy
(`F.cross_entropy` on the logits and the class indices, mean over the batch), SGD at 0.05,
float32. A training step is forward, loss, backward, `optimizer.step()` and
`optimizer.zero_grad(set_to_none=True)`. Inference is the forward pass with the output
softmax, batch 1, inside one `torch.inference_mode()` block around the timing loop.

Prints `<workload> pytorch-1-thread <steps per second>` and
`<workload> pytorch-2-threads <steps per second>` on stdout; the versions and the loss of
the first training step of each workload (about ln(outputs) from random weights) on stderr.
"""
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

BATCHES = 8
WINDOW = 0.7
RATE = 0.05  # RATE in benches/support/networks.rs
THREADS = (1, 2)

# Workload: (batch, inputs, hidden, outputs), as in src/main.rs.
TRAINING = {"W1": (1, 2, 16, 2), "W2": (32, 64, 32, 10), "W3": (64, 784, 128, 10)}
INFERENCE = {"I1": (2, 16, 2), "I3": (784, 128, 10)}


def rate(step):
    """Steps per second of step(i), run for about WINDOW after a short warm-up."""
    warm = time.perf_counter()
    i = 0
    while time.perf_counter() - warm < WINDOW / 5:
        step(i)
        i += 1
    start = time.perf_counter()
    n = 0
    while time.perf_counter() - start < WINDOW:
        for _ in range(64):
            step(n)
            n += 1
    return n / (time.perf_counter() - start)


def load(data_dir, name, b, i, o):
    """The BATCHES batches of a workload: inputs b x i, and the class of each sample."""
    raw = np.fromfile(f"{data_dir}/{name}.f32", dtype="<f4")
    if raw.size != BATCHES * b * (i + o):
        sys.exit(f"{name}: {raw.size} values, expected {BATCHES * b * (i + o)}")
    batches = []
    for chunk in raw.reshape(BATCHES, b * (i + o)):
        x = torch.from_numpy(chunk[: b * i].reshape(b, i).copy())
        one_hot = chunk[b * i :].reshape(b, o)
        classes = torch.from_numpy(one_hot.argmax(axis=1)).long()
        batches.append((x, classes))
    return batches


def network(i, h, o):
    """i -> h sigmoid, h -> o linear (the logits), PyTorch's default initial weights."""
    return nn.Sequential(nn.Linear(i, h), nn.Sigmoid(), nn.Linear(h, o))


def label(threads):
    return "pytorch-1-thread" if threads == 1 else f"pytorch-{threads}-threads"


def training(data_dir, name, b, i, h, o, threads):
    batches = load(data_dir, name, b, i, o)
    model = network(i, h, o)
    sgd = torch.optim.SGD(model.parameters(), lr=RATE)

    def step(k):
        x, classes = batches[k % BATCHES]
        loss = F.cross_entropy(model(x), classes)
        loss.backward()
        sgd.step()
        sgd.zero_grad(set_to_none=True)
        return loss

    # The first step, on batch 0 from the initial weights, for the sanity check of the
    # loss; the timed steps go on from there.
    first = step(0).item()
    print(f"{name} {label(threads)} first loss {first:.4f} (ln {o} = {np.log(o):.4f})",
          file=sys.stderr)
    return rate(lambda k: step(k + 1))


def inference(data_dir, name, i, h, o, threads):
    batches = load(data_dir, name, 1, i, o)
    model = network(i, h, o)
    with torch.inference_mode():
        return rate(lambda k: F.softmax(model(batches[k % BATCHES][0]), dim=1))


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: pytorch.py DATA_DIR")
    data_dir = sys.argv[1]
    torch.manual_seed(7)
    print(f"torch {torch.__version__}, numpy {np.__version__}, "
          f"CPU capability {torch.backends.cpu.get_cpu_capability()}", file=sys.stderr)
    for name, shape in TRAINING.items():
        for threads in THREADS:
            torch.set_num_threads(threads)
            print(f"{name} {label(threads)} {training(data_dir, name, *shape, threads):.1f}")
    for name, shape in INFERENCE.items():
        for threads in THREADS:
            torch.set_num_threads(threads)
            print(f"{name} {label(threads)} {inference(data_dir, name, *shape, threads):.1f}")


if __name__ == "__main__":
    main()
