//! What an optimizer with state costs next to the training step it ends: the same networks
//! trained with gradient descent, momentum and Adam, in one criterion group per network,
//! so that each ratio divides two medians of one run.
//!
//! - O1: 30 → 16 (sigmoid) → 2 (softmax), batches of 16: a tabular classifier (30 features,
//!   as the breast-cancer data set has).
//! - O2: 64 → 32 (sigmoid) → 10 (softmax), batches of 32: workload W2's network.
//! - O3: 784 → 128 (sigmoid) → 10 (softmax), batches of 64: workload W3's network, whose
//!   fused weight update hands the optimizer its gradient a register tile at a time.
//!
//! The target (issue 12): an Adam step at most 1.3× a gradient-descent step. Run with
//! `cargo bench --bench optimizers`; `python3 benches/report.py` prints the ratios.

use criterion::{Criterion, criterion_group, criterion_main};
use ferroflow::prelude::*;
use std::hint::black_box;
use std::time::{Duration, Instant};

#[path = "support/baseline.rs"]
#[allow(dead_code)]
mod baseline;
#[path = "support/data.rs"]
mod data;
#[path = "support/networks.rs"]
#[allow(dead_code)]
mod networks;

use data::{BATCHES, Batch};
use networks::{Mnist, Small};

network! {
    /// O1: a tabular classifier.
    pub struct Tabular<f32> {
        input: 30,
        hidden: Perceptron<16, Sigmoid>,
        output: Perceptron<2, Softmax>,
    }
}

/// How many steps each timed run trains from the same start: the first steps of a
/// training, for every optimizer alike.
const STEPS: u64 = 32;

/// Times training steps of `net` with optimizers made by `optimizer`, under `name`: runs of
/// [`STEPS`] steps, each from `net` and a fresh optimizer (copied outside the timing),
/// cycling through `batches`; criterion gets the time per step.
///
/// Each run starts over because a network trained for millions of steps on a few batches
/// saturates, and then its softmax and sigmoid produce subnormal numbers, which cost the
/// processor up to a hundred times a normal multiply: Adam reaches that state sooner than
/// gradient descent, and a ratio taken there would time the subnormals, not the optimizer.
fn time<N, O, const B: usize, const I: usize, const K: usize>(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    name: &str,
    net: &N,
    optimizer: impl Fn() -> O,
    batches: &[Box<Batch<B, I, K>>],
) where
    N: Network<f32, I, K>,
    O: OptimizerFor<f32, N::Gradients>,
{
    group.bench_function(name, |bench| {
        bench.iter_custom(|iterations| {
            let mut timed = Duration::ZERO;
            let mut done = 0;
            while done < iterations {
                let (mut net, mut optimizer) = (Box::new(net.clone()), Box::new(optimizer()));
                let run = STEPS.min(iterations - done);
                let start = Instant::now();
                for step in 0..run as usize {
                    let batch = &batches[step % BATCHES];
                    black_box(net.train_step(black_box(&batch.x), &batch.labels, &mut *optimizer));
                }
                timed += start.elapsed();
                done += run;
            }
            timed
        })
    });
}

/// The three optimizers on one network, written once for every network: each optimizer's
/// state takes its shape from `N`.
fn optimizers_on<N, const B: usize, const I: usize, const K: usize>(
    c: &mut Criterion,
    group_name: &str,
    net: N,
) where
    N: Network<f32, I, K>,
{
    let batches = data::batches::<B, I, K>(11);
    let mut group = c.benchmark_group(group_name);
    time(&mut group, "gradient descent", &net, || GradientDescent::new(0.05), &batches);
    time(&mut group, "momentum", &net, || Momentum::new(0.05, 0.9), &batches);
    time(&mut group, "adam", &net, || Adam::new(1e-3), &batches);
    group.finish();
}

fn optimizers(c: &mut Criterion) {
    let mut rng = SeededRng::seed_from_u64(5);
    optimizers_on::<_, 16, 30, 2>(c, "O1 30-16-2 b16", Tabular::random(&mut rng));
    optimizers_on::<_, 32, 64, 10>(c, "O2 64-32-10 b32", Small::random(&mut rng));
    optimizers_on::<_, 64, 784, 10>(c, "O3 784-128-10 b64", Mnist::random(&mut rng));
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(std::time::Duration::from_secs(1))
        .measurement_time(std::time::Duration::from_secs(3));
    targets = optimizers
}
criterion_main!(benches);
