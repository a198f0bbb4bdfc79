//! Big layers and batches (issue 14): W4, a `network!` network 784 → 1024 → 1024 → 10
//! (ReLU, ReLU, softmax, cross-entropy, SGD) trained on batches of 128, next to the
//! machine's ceilings measured in the same run (`support/ceilings.rs`): the peak of one
//! core's fused multiply-adds and matrixmultiply's single-thread sgemm on 1024² matrices.
//! Then how the rate changes with the width of the two hidden layers (128 → 2048, batch
//! 128) and with the batch (1 → 256, width 1024).
//!
//! Every function's throughput is its floating-point operations per step (a multiply-add
//! counted as 2), so criterion prints GFLOP/s as "Gelem/s"; `benches/report.py` makes the
//! tables of BENCHMARKS.md. Run with `cargo bench --bench scale`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ferroflow::prelude::*;
use std::hint::black_box;

#[path = "support/ceilings.rs"]
mod ceilings;
#[path = "support/data.rs"]
mod data;

use data::BATCHES;

network! {
    /// W4 at width `W`: two ReLU layers of `W` units between 784 inputs and 10 classes.
    pub struct Wide<f32, const W: usize> {
        input: 784,
        first: Perceptron<W, Relu>,
        second: Perceptron<W, Relu>,
        output: Perceptron<10, Softmax>,
    }
}

/// Small enough that ReLU layers of 2048 units on random pixels do not diverge.
const RATE: f32 = 0.01;

/// Floating-point operations of one training step of `Wide<W>` on `b` samples: the
/// forward products `2b(784W + W² + 10W)`, as many for the weight gradients, and the input
/// gradients of the two upper layers `2b(W² + 10W)` (the first layer's is never needed).
fn train_flops(w: usize, b: usize) -> u64 {
    let products = 784 * w + w * w + w * 10;
    (4 * b * products + 2 * b * (w * w + w * 10)) as u64
}

/// Times training steps of `Wide<W>` on batches of `B` as `name` in `group`, after a check
/// that the loss is finite and falls over the first steps (the step did the work).
fn train<const W: usize, const B: usize>(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    name: &str,
) {
    let batches = data::batches::<B, 784, 10>(W as u64 + B as u64);
    let mut net = Box::new(Wide::<W>::random(&mut SeededRng::seed_from_u64(4)));
    let mut sgd = GradientDescent::new(RATE);
    let first = net.train_step(&batches[0].x, &batches[0].labels, &mut sgd);
    let mut last = first;
    for _ in 0..4 {
        last = net.train_step(&batches[0].x, &batches[0].labels, &mut sgd);
    }
    assert!(last.is_finite() && last < first, "{name}: loss {first} then {last}");
    group.throughput(Throughput::Elements(train_flops(W, B)));
    let mut step = 0;
    group.bench_function(name, |bench| {
        bench.iter(|| {
            let batch = &batches[step % BATCHES];
            step += 1;
            black_box(net.train_step(black_box(&batch.x), &batch.labels, &mut sgd))
        })
    });
}

fn scale(c: &mut Criterion) {
    println!("peak loop: {}; kernels: {}", ceilings::peak_width(), ferroflow::kernels::selected());
    let mut group = c.benchmark_group("W4 train 784-1024-1024-10 b128");
    ceilings::peak(&mut group, "fma peak 1 core");
    ceilings::sgemm(&mut group, "sgemm 1024 matrixmultiply");
    train::<1024, 128>(&mut group, "ferroflow");
    group.finish();

    let mut group = c.benchmark_group("scale width 784-W-W-10 b128");
    group.sample_size(10);
    train::<128, 128>(&mut group, "128");
    train::<512, 128>(&mut group, "512");
    train::<1024, 128>(&mut group, "1024");
    train::<2048, 128>(&mut group, "2048");
    group.finish();

    let mut group = c.benchmark_group("scale batch 784-1024-1024-10");
    group.sample_size(10);
    train::<1024, 1>(&mut group, "1");
    train::<1024, 32>(&mut group, "32");
    train::<1024, 128>(&mut group, "128");
    train::<1024, 256>(&mut group, "256");
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(std::time::Duration::from_secs(1))
        .measurement_time(std::time::Duration::from_secs(4));
    targets = scale
}
criterion_main!(benches);
