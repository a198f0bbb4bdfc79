//! Issue 7's workloads: `network!` networks against the hand-written baseline, in the same
//! criterion group so that each ratio comes from one run.
//!
//! - W1: 2 → 16 → 2, batch 1 (online training, the embedded case)
//! - W2: 64 → 32 → 10, batch 32
//! - W3: 784 → 128 → 10, batch 64 (MNIST-sized)
//! - I1, I3: inference on one sample, W1's and W3's shapes
//!
//! Sigmoid hidden layer, softmax output, cross-entropy, SGD. A training step is forward,
//! loss, backward and update. Run with `cargo bench --bench workloads`; `benches/report.py`
//! turns criterion's medians into the table of BENCHMARKS.md. The machine's ceilings (one
//! core's peak of fused multiply-adds, a library's sgemm) are timed in the same run.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ferroflow::prelude::*;
use std::hint::black_box;

#[path = "support/baseline.rs"]
mod baseline;
#[path = "support/ceilings.rs"]
mod ceilings;
#[path = "support/data.rs"]
mod data;

use baseline::Scratch;
use data::{BATCHES, Batch};

#[path = "support/networks.rs"]
mod networks;

use networks::{Mnist, RATE, Small, Tiny, baseline_of};

/// Before anything is timed: from the same weights, on the same batches, the baseline and
/// ferroflow give the same losses step after step and the same outputs after training.
/// Otherwise the two would not be doing the same work.
fn check_same_maths<N, const B: usize, const I: usize, const H: usize, const O: usize>(
    net: &N,
    batches: &[Box<Batch<B, I, O>>],
) where
    N: Network<f32, I, O>,
{
    let mut net = net.clone();
    let mut base = baseline_of::<N, I, H, O>(&net);
    let mut scratch = Scratch::<B, H, O>::boxed();
    let mut sgd = GradientDescent::new(RATE);
    for batch in batches.iter().cycle().take(2 * BATCHES) {
        let ours = net.train_step(&batch.x, &batch.labels, &mut sgd);
        let theirs = base.train_step(&batch.rows, &batch.classes, RATE, &mut scratch);
        assert!((ours - theirs).abs() <= 1e-4 * theirs.abs().max(1.0), "loss {ours} vs {theirs}");
    }
    let batch = &batches[0];
    let ours = net.forward(&batch.x);
    base.predict(&batch.rows, &mut scratch);
    let theirs = base.output(&scratch);
    for b in 0..B {
        for o in 0..O {
            let (a, t) = (ours[(b, o)], theirs[b][o]);
            assert!((a - t).abs() < 1e-4, "output ({b}, {o}): {a} vs {t}");
        }
    }
}

fn training<N, const B: usize, const I: usize, const H: usize, const O: usize>(
    c: &mut Criterion,
    group_name: &str,
    seed: u64,
) where
    N: Network<f32, I, O> + RandomInit + PartialEq + Send,
{
    let batches = data::batches::<B, I, O>(seed);
    let mut rng = SeededRng::seed_from_u64(seed);
    let net: Box<N> = Box::new(N::random_init(&mut rng));
    two_cores(false);
    check_same_maths::<N, B, I, H, O>(&net, &batches);

    let mut group = c.benchmark_group(group_name);
    group.throughput(Throughput::Elements(1));
    let mut base = baseline_of::<N, I, H, O>(&*net);
    let mut scratch = Scratch::<B, H, O>::boxed();
    let mut step = 0;
    group.bench_function("baseline", |bench| {
        bench.iter(|| {
            let batch = &batches[step % BATCHES];
            step += 1;
            black_box(base.train_step(black_box(&batch.rows), &batch.classes, RATE, &mut scratch))
        })
    });
    let mut ours = net.clone();
    let mut sgd = GradientDescent::new(RATE);
    let mut step = 0;
    group.bench_function("ferroflow", |bench| {
        bench.iter(|| {
            let batch = &batches[step % BATCHES];
            step += 1;
            black_box(ours.train_step(black_box(&batch.x), &batch.labels, &mut sgd))
        })
    });
    if cfg!(feature = "parallel") {
        // Two cores compute the same values as one, to the bit, before they are timed.
        let (mut single, mut split) = (net.clone(), net.clone());
        let mut sgd = GradientDescent::new(RATE);
        for batch in batches.iter().cycle().take(2 * BATCHES) {
            two_cores(false);
            let theirs = single.train_step(&batch.x, &batch.labels, &mut sgd);
            two_cores(true);
            let ours = split.train_step(&batch.x, &batch.labels, &mut sgd);
            assert_eq!(ours.to_bits(), theirs.to_bits(), "loss {ours} vs {theirs}");
        }
        assert!(single == split, "two cores trained other parameters than one");
        let mut ours = net.clone();
        let mut step = 0;
        group.bench_function("ferroflow 2 threads", |bench| {
            bench.iter(|| {
                let batch = &batches[step % BATCHES];
                step += 1;
                black_box(ours.train_step(black_box(&batch.x), &batch.labels, &mut sgd))
            })
        });
        #[cfg(feature = "compare-joins")]
        other_joins(&mut group, &*net, &batches);
        two_cores(false);
    }
    group.finish();
}

/// The same two-core training step with the second half of each split run by rayon's pool
/// or by a thread started for it, instead of ferroflow's worker: the measurement behind
/// keeping the worker (`cargo bench --features compare-joins --bench workloads`). Each
/// first trains as the worker does, to the bit.
#[cfg(feature = "compare-joins")]
fn other_joins<N, const B: usize, const I: usize, const O: usize>(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    net: &N,
    batches: &[Box<data::Batch<B, I, O>>],
) where
    N: Network<f32, I, O> + PartialEq + Send,
{
    use ferroflow::kernels::parallel::compare::{Join, choose, on_rayon_worker};
    let ways = [
        (Join::Rayon, false, "rayon 2 threads"),
        (Join::Rayon, true, "rayon 2 threads, step on a rayon worker"),
        (Join::Scope, false, "thread::scope 2 threads"),
    ];
    for (join, in_pool, name) in ways {
        let (mut worker, mut other) = (net.clone(), net.clone());
        let mut sgd = GradientDescent::new(RATE);
        for batch in batches.iter().take(3) {
            choose(Join::Worker);
            let theirs = worker.train_step(&batch.x, &batch.labels, &mut sgd);
            choose(join);
            let ours = other.train_step(&batch.x, &batch.labels, &mut sgd);
            assert_eq!(ours.to_bits(), theirs.to_bits(), "{name}: loss {ours} vs {theirs}");
        }
        let mut ours = net.clone();
        let mut step = 0;
        choose(join);
        group.bench_function(name, |bench| {
            bench.iter(|| {
                let batch = &batches[step % BATCHES];
                step += 1;
                let x = black_box(&batch.x);
                if in_pool {
                    black_box(on_rayon_worker(|| ours.train_step(x, &batch.labels, &mut sgd)))
                } else {
                    black_box(ours.train_step(x, &batch.labels, &mut sgd))
                }
            })
        });
    }
    choose(Join::Worker);
}

/// Lets large products use both cores (feature `parallel`), or keeps them on one.
fn two_cores(on: bool) {
    #[cfg(feature = "parallel")]
    ferroflow::kernels::parallel::set_enabled(on);
    #[cfg(not(feature = "parallel"))]
    let _ = on;
}

fn inference<N, const I: usize, const H: usize, const O: usize>(
    c: &mut Criterion,
    group_name: &str,
    seed: u64,
) where
    N: Network<f32, I, O> + RandomInit,
{
    let batches = data::batches::<1, I, O>(seed);
    let mut rng = SeededRng::seed_from_u64(seed);
    let net: Box<N> = Box::new(N::random_init(&mut rng));
    check_same_maths::<N, 1, I, H, O>(&net, &batches);

    let mut group = c.benchmark_group(group_name);
    group.throughput(Throughput::Elements(1));
    let base = baseline_of::<N, I, H, O>(&*net);
    let mut scratch = Scratch::<1, H, O>::boxed();
    let mut step = 0;
    group.bench_function("baseline", |bench| {
        bench.iter(|| {
            let batch = &batches[step % BATCHES];
            step += 1;
            base.predict(black_box(&batch.rows), &mut scratch);
            black_box(base.output(&scratch)[0][0])
        })
    });
    let mut step = 0;
    group.bench_function("ferroflow", |bench| {
        bench.iter(|| {
            let batch = &batches[step % BATCHES];
            step += 1;
            black_box(net.forward(black_box(&batch.x)))
        })
    });
    group.finish();
}

/// The generated `random` (an inherent method), reachable from generic code, with random
/// biases too so that a wrong bias path in the baseline cannot hide.
trait RandomInit {
    fn random_init(rng: &mut SeededRng) -> Self;
}

macro_rules! random_init {
    ($($net:ident),*) => {$(
        impl RandomInit for $net {
            fn random_init(rng: &mut SeededRng) -> Self {
                let mut net = $net::random(rng);
                net.for_each_param_mut(&mut |name, values| {
                    if name.tensor == "bias" {
                        for v in values {
                            *v = ferroflow::init::uniform(rng, -0.1, 0.1) as f32;
                        }
                    }
                });
                net
            }
        }
    )*};
}
random_init!(Tiny, Small, Mnist);

fn workloads(c: &mut Criterion) {
    baseline::check_maths();
    println!("peak loop: {}; kernels: {}", ceilings::peak_width(), ferroflow::kernels::selected());
    // The ceilings first, so that `benches/report.py` can say what share of them W3 reaches.
    let mut group = c.benchmark_group("ceilings");
    ceilings::peak(&mut group, "fma peak 1 core");
    ceilings::sgemm(&mut group, "sgemm 1024 matrixmultiply");
    group.finish();
    training::<Tiny, 1, 2, 16, 2>(c, "W1 train 2-16-2 b1", 1);
    training::<Small, 32, 64, 32, 10>(c, "W2 train 64-32-10 b32", 2);
    training::<Mnist, 64, 784, 128, 10>(c, "W3 train 784-128-10 b64", 3);
    inference::<Tiny, 2, 16, 2>(c, "I1 infer 2-16-2 b1", 4);
    inference::<Mnist, 784, 128, 10>(c, "I3 infer 784-128-10 b1", 5);
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(std::time::Duration::from_secs(1))
        .measurement_time(std::time::Duration::from_secs(4));
    targets = workloads
}
criterion_main!(benches);
