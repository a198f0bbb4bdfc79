//! What a graph costs next to a chain of the same layers: a residual network (each block
//! adds its input back) against the chain with the same perceptrons and no sums, in one
//! criterion group per pair, so that each ratio divides two medians of one run.
//!
//! - G1: 64 → 64 (ReLU) → two blocks of 64 (ReLU) → 10 (softmax), batches of 32 (the
//!   digits' shape): a training step and an inference.
//!
//! The target (issue 13): the residual step costs no more than its layers' work, that is
//! the chain's step and the sums (`2 × 32 × 64` additions forward and as many backward,
//! against about 1.1 M multiply-adds): a ratio near 1, with no recomputation and no copy
//! of a node's output per reader. Run with `cargo bench --bench graph`;
//! `python3 benches/report.py` prints the ratios.

use criterion::{Criterion, criterion_group, criterion_main};
use ferroflow::prelude::*;
use std::hint::black_box;
use std::time::{Duration, Instant};

#[path = "support/data.rs"]
mod data;

use data::{BATCHES, Batch};

network! {
    /// G1, a chain: the layers of `Residual` without its sums.
    pub struct Chain<f32> {
        input: 64,
        stem: Perceptron<64, Relu>,
        block1: Perceptron<64, Relu>,
        block2: Perceptron<64, Relu>,
        output: Perceptron<10, Softmax>,
    }
}

network! {
    /// G1, residual: the same perceptrons, each block adding its input back.
    pub struct Residual<f32> {
        input: 64,
        stem: Perceptron<64, Relu>,
        block1: Perceptron<64, Relu>,
        skip1: Sum(stem, block1),
        block2: Perceptron<64, Relu>,
        skip2: Sum(skip1, block2),
        output: Perceptron<10, Softmax>,
    }
}

/// How many steps each timed run trains from the same start (as `benches/optimizers.rs`:
/// a network trained for millions of steps on a few batches saturates into subnormals).
const STEPS: u64 = 32;

fn train<N: Network<f32, 64, 10>>(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    name: &str,
    net: &N,
    batches: &[Box<Batch<32, 64, 10>>],
) {
    group.bench_function(name, |bench| {
        bench.iter_custom(|iterations| {
            let mut timed = Duration::ZERO;
            let mut done = 0;
            while done < iterations {
                let mut net = Box::new(net.clone());
                let mut sgd = GradientDescent::new(0.05);
                let run = STEPS.min(iterations - done);
                let start = Instant::now();
                for step in 0..run as usize {
                    let batch = &batches[step % BATCHES];
                    black_box(net.train_step(black_box(&batch.x), &batch.labels, &mut sgd));
                }
                timed += start.elapsed();
                done += run;
            }
            timed
        })
    });
}

fn infer<N: Network<f32, 64, 10>>(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    name: &str,
    net: &N,
    batches: &[Box<Batch<32, 64, 10>>],
) {
    let mut step = 0;
    group.bench_function(name, |bench| {
        bench.iter(|| {
            step = (step + 1) % BATCHES;
            black_box(net.forward(black_box(&batches[step].x)))
        })
    });
}

fn graph(c: &mut Criterion) {
    let mut rng = SeededRng::seed_from_u64(13);
    let chain = Chain::random(&mut rng);
    // The same weights in both: the residual network is the chain plus its sums.
    let residual = Residual::new(chain.stem, chain.block1, chain.block2, chain.output);
    let batches = data::batches::<32, 64, 10>(17);

    let mut group = c.benchmark_group("G1 train 64-64-2x[64+skip]-10 b32");
    train(&mut group, "chain", &chain, &batches);
    train(&mut group, "residual", &residual, &batches);
    group.finish();
    let mut group = c.benchmark_group("G1 infer 64-64-2x[64+skip]-10 b32");
    infer(&mut group, "chain", &chain, &batches);
    infer(&mut group, "residual", &residual, &batches);
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(std::time::Duration::from_secs(1))
        .measurement_time(std::time::Duration::from_secs(3));
    targets = graph
}
criterion_main!(benches);
