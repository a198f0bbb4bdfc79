//! The fastest of many short runs, for comparing two builds on a shared machine.
//!
//! Another program can only slow a run down, never speed it up, so the shortest of many
//! short runs estimates what the code itself costs, with less spread than criterion's
//! mean when the cores are shared (on the 2-core benchmark machine on 2026-12-01, most of
//! these minimums repeated within 1% from run to run, where criterion's medians of W3
//! moved by up to 20%; BENCHMARKS.md shows one that did not). Criterion
//! (`benches/workloads.rs`) stays the reference for rates; this bench is for before and
//! after: build both, run them alternately, compare the minimums.
//!
//! W3's network (784 → 128 → 10, batches of 64) trained with gradient descent, momentum
//! and Adam on one thread and on two, its forward pass, and I3 (one sample's inference).
//! Run with `cargo bench --features parallel --bench fastest`; prints the minimum, the
//! 10th percentile and the median of 400 runs (I3: 2000) of each, in microseconds a step.

use ferroflow::prelude::*;
use std::hint::black_box;
use std::time::Instant;

#[path = "support/baseline.rs"]
#[allow(dead_code)]
mod baseline;
#[path = "support/networks.rs"]
#[allow(dead_code)]
mod networks;

use networks::{Mnist, MnistGradients};

/// The batch, on a cache line as the bench data are (`support/data.rs`).
#[repr(C, align(64))]
struct Aligned<M>(M);

/// Prints the minimum, 10th percentile and median of `times` (microseconds).
fn report(name: &str, mut times: Vec<f64>) {
    times.sort_by(f64::total_cmp);
    let at = |q: f64| times[((times.len() - 1) as f64 * q) as usize];
    println!("{name:<40} min {:8.2}  p10 {:8.2}  median {:8.2} µs", at(0.0), at(0.1), at(0.5));
}

/// Times `runs` runs of `reps` calls of `f`, after `warm` calls: microseconds a call.
fn time(runs: usize, reps: usize, warm: usize, mut f: impl FnMut()) -> Vec<f64> {
    for _ in 0..warm {
        f();
    }
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..reps {
                f();
            }
            start.elapsed().as_secs_f64() * 1e6 / reps as f64
        })
        .collect()
}

fn train<O: OptimizerFor<f32, MnistGradients>>(
    name: &str,
    net: &Mnist,
    batch: &Matrix<f32, 64, 784>,
    labels: &Matrix<f32, 64, 10>,
    optimizer: impl Fn() -> O,
) {
    for two in [false, true] {
        ferroflow::kernels::parallel::set_enabled(two);
        let (mut net, mut optimizer) = (Box::new(net.clone()), optimizer());
        let times = time(400, 5, 60, || {
            black_box(net.train_step(black_box(batch), labels, &mut optimizer));
        });
        let threads = if two { "2 threads" } else { "1 thread" };
        report(&format!("W3 train, {name}, {threads}"), times);
    }
    ferroflow::kernels::parallel::set_enabled(true);
}

fn main() {
    // `cargo bench` passes `--bench`; a filter is not supported: every case runs.
    println!("kernels: {}", ferroflow::kernels::selected());
    let mut rng = SeededRng::seed_from_u64(7);
    let net: Box<Mnist> = Box::new(Mnist::random(&mut rng));
    let mut batch: Box<Aligned<Matrix<f32, 64, 784>>> = Box::new(Aligned(Matrix::zeros()));
    for (i, v) in batch.0.iter_mut().enumerate() {
        *v = ((i * 7919) % 1000) as f32 / 1000.0;
    }
    let mut labels: Box<Matrix<f32, 64, 10>> = Box::new(Matrix::zeros());
    for b in 0..64 {
        labels[(b, b % 10)] = 1.0;
    }
    let batch = &batch.0;
    train("gradient descent", &net, batch, &labels, || GradientDescent::new(0.01));
    train("momentum", &net, batch, &labels, || Momentum::new(0.01, 0.9));
    train("Adam", &net, batch, &labels, || Adam::new(0.001));

    ferroflow::kernels::parallel::set_enabled(false);
    report(
        "W3 forward, 1 thread",
        time(400, 5, 60, || {
            black_box(net.forward(black_box(batch)));
        }),
    );
    let mut sample: Box<Matrix<f32, 1, 784>> = Box::new(Matrix::zeros());
    for (i, v) in sample.iter_mut().enumerate() {
        *v = ((i * 31) % 100) as f32 / 100.0;
    }
    report(
        "I3 infer",
        time(2000, 20, 2000, || {
            black_box(net.forward(black_box(&*sample)));
        }),
    );
}
