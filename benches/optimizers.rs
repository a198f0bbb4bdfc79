//! Baseline measurement (before typed optimizer state).
use criterion::{Criterion, criterion_group, criterion_main};
use ferroflow::prelude::*;
use std::hint::black_box;

#[path = "support/baseline.rs"]
#[allow(dead_code)]
mod baseline;
#[path = "support/data.rs"]
mod data;
#[path = "support/networks.rs"]
#[allow(dead_code)]
mod networks;

use networks::Small;

network! {
    /// O1: a tabular classifier.
    pub struct Tabular<f32> {
        input: 30,
        hidden: Perceptron<16, Sigmoid>,
        output: Perceptron<2, Softmax>,
    }
}

macro_rules! bench_net {
    ($c:expr, $name:expr, $net:ident, $b:literal, $i:literal, $k:literal) => {{
        let batches = data::batches::<$b, $i, $k>(11);
        let mut rng = SeededRng::seed_from_u64(5);
        let net = $net::random(&mut rng);
        let mut group = $c.benchmark_group($name);
        let mut ours = net.clone();
        let mut sgd = GradientDescent::new(0.05f32);
        let mut step = 0;
        group.bench_function("gradient descent", |bench| {
            bench.iter(|| {
                let batch = &batches[step % data::BATCHES];
                step += 1;
                black_box(ours.train_step(black_box(&batch.x), &batch.labels, &mut sgd))
            })
        });
        let mut ours = net.clone();
        let mut momentum = Momentum::new(0.05, 0.9);
        group.bench_function("momentum", |bench| {
            bench.iter(|| {
                let batch = &batches[step % data::BATCHES];
                step += 1;
                black_box(ours.train_step(black_box(&batch.x), &batch.labels, &mut momentum))
            })
        });
        let mut ours = net.clone();
        let mut adam = Adam::new(0.001);
        group.bench_function("adam", |bench| {
            bench.iter(|| {
                let batch = &batches[step % data::BATCHES];
                step += 1;
                black_box(ours.train_step(black_box(&batch.x), &batch.labels, &mut adam))
            })
        });
        group.finish();
    }};
}

fn optimizers(c: &mut Criterion) {
    bench_net!(c, "O1 30-16-2 b16", Tabular, 16, 30, 2);
    bench_net!(c, "O2 64-32-10 b32", Small, 32, 64, 10);
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(std::time::Duration::from_secs(1))
        .measurement_time(std::time::Duration::from_secs(3));
    targets = optimizers
}
criterion_main!(benches);
