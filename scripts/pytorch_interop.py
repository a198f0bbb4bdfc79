#!/usr/bin/env python3
"""Checks that ferroflow's safetensors files mean the same thing in numpy as in Rust.

    pytorch_interop.py check DIR   # DIR/ferroflow.safetensors + DIR/ferroflow_cases.json,
                                   # written by `cargo run --example interop -- write DIR`:
                                   # numpy computes the predictions and compares them.
    pytorch_interop.py write DIR   # writes DIR/python.safetensors + DIR/python_cases.json
                                   # for `cargo run --example interop -- check DIR`.

The model takes raw inputs: x is first scaled, (x - preprocess.offset) * preprocess.scale,
then goes through 4 -> 8 (sigmoid) -> 3 (softmax) with the layout of PyTorch's nn.Linear:
y = x W^T + b, W of shape [out, in]. Everything needed is in the file. Only numpy and
safetensors are needed, not torch: `pip install numpy safetensors`.
"""

import json
import sys
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file, save_file

SHAPES = {
    "preprocess.offset": (4,),
    "preprocess.scale": (4,),
    "hidden.weight": (8, 4),
    "hidden.bias": (8,),
    "output.weight": (3, 8),
    "output.bias": (3,),
}
CASES = 6
TOLERANCE = 1e-6


def forward(state, x):
    """softmax(sigmoid(s W1^T + b1) W2^T + b2) with s = (x - offset) * scale, in float64
    from the stored values."""
    offset = state["preprocess.offset"].astype(np.float64)
    scale = state["preprocess.scale"].astype(np.float64)
    x = (x - offset) * scale
    w1, b1 = state["hidden.weight"].astype(np.float64), state["hidden.bias"].astype(np.float64)
    w2, b2 = state["output.weight"].astype(np.float64), state["output.bias"].astype(np.float64)
    hidden = 1.0 / (1.0 + np.exp(-(x @ w1.T + b1)))
    z = hidden @ w2.T + b2
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def check(folder):
    state = load_file(str(folder / "ferroflow.safetensors"))
    if set(state) != set(SHAPES):
        sys.exit(f"tensors {sorted(state)}, expected {sorted(SHAPES)}")
    for name, shape in SHAPES.items():
        if state[name].shape != shape or state[name].dtype != np.float32:
            sys.exit(f"{name}: {state[name].dtype} {state[name].shape}, expected float32 {shape}")
    cases = json.loads((folder / "ferroflow_cases.json").read_text())
    x = np.array(cases["inputs"], dtype=np.float32).astype(np.float64)
    theirs = np.array(cases["outputs"], dtype=np.float64)
    ours = forward(state, x)
    worst = float(np.abs(ours - theirs).max())
    agree = int((np.abs(ours - theirs) <= TOLERANCE).sum())
    print(f"numpy read {folder / 'ferroflow.safetensors'}: {agree} of {ours.size} predictions "
          f"agree with ferroflow's (largest difference {worst:.2e})")
    if worst > TOLERANCE or not (ours.argmax(axis=1) == theirs.argmax(axis=1)).all():
        sys.exit(f"predictions differ from ferroflow's by {worst:e}")


def write(folder):
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(2026)
    state = {name: rng.uniform(-1.0, 1.0, shape).astype(np.float32) for name, shape in SHAPES.items()}
    state["preprocess.offset"] = rng.uniform(-50.0, 50.0, 4).astype(np.float32)
    state["preprocess.scale"] = rng.uniform(0.1, 1.0, 4).astype(np.float32)
    save_file(state, str(folder / "python.safetensors"), metadata={"format": "pt"})
    # Raw inputs, around each feature's offset.
    x = (state["preprocess.offset"] + rng.uniform(-2.0, 2.0, (CASES, 4)) / state["preprocess.scale"]).astype(np.float32)
    outputs = forward(state, x.astype(np.float64))
    # float32 values widen exactly to Python floats, whose repr reads back exactly.
    cases = {"inputs": x.astype(np.float64).tolist(), "outputs": outputs.tolist()}
    (folder / "python_cases.json").write_text(json.dumps(cases))
    print(f"wrote {folder / 'python.safetensors'} and python_cases.json ({CASES} cases)")


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("check", "write"):
        sys.exit(__doc__)
    folder = Path(sys.argv[2])
    (check if sys.argv[1] == "check" else write)(folder)


if __name__ == "__main__":
    main()
