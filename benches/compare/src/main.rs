//! One round of the comparison: for each workload, times the hand-written baseline,
//! ferroflow on one thread and ferroflow with its large layers split across two cores
//! (feature `parallel`), one after the other, on the same seeded batches as
//! `benches/workloads.rs`, and prints one line per library:
//! `<workload> <library> <steps per second>`. With `--write-data DIR` it writes those
//! batches for the FANN program instead (`fann.c`), so both train on the same numbers.
//!
//! `run.sh` runs several rounds of this and of `fann`, alternating, and takes medians.

use ferroflow::kernels::parallel;
use ferroflow::prelude::*;
use std::hint::black_box;
use std::io::Write;

#[path = "../../../benches/support/baseline.rs"]
#[allow(dead_code)]
mod baseline;
#[path = "../../../benches/support/data.rs"]
mod data;

use baseline::Scratch;
use data::BATCHES;

#[path = "../../../benches/support/networks.rs"]
mod networks;

use networks::{Mnist, RATE, Small, Tiny, baseline_of};
#[path = "../timing.rs"]
mod timing;
use timing::rate;

fn training<N, const B: usize, const I: usize, const H: usize, const O: usize>(
    name: &str,
    seed: u64,
    make: fn(&mut SeededRng) -> N,
) where
    N: Network<f32, I, O>,
{
    let batches = data::batches::<B, I, O>(seed);
    let net = Box::new(make(&mut SeededRng::seed_from_u64(seed)));
    let mut base = baseline_of::<N, I, H, O>(&*net);
    let mut scratch = Scratch::<B, H, O>::boxed();
    let r = rate(|i| {
        let batch = &batches[i % BATCHES];
        black_box(base.train_step(black_box(&batch.rows), &batch.classes, RATE, &mut scratch));
    });
    println!("{name} baseline {r:.1}");
    // One thread, then the `parallel` feature's split of large layers across two cores.
    for (library, two_cores) in [("ferroflow", false), ("ferroflow-2-threads", true)] {
        parallel::set_enabled(two_cores);
        let mut ours = net.clone();
        let mut sgd = GradientDescent::new(RATE);
        let r = rate(|i| {
            let batch = &batches[i % BATCHES];
            black_box(ours.train_step(black_box(&batch.x), &batch.labels, &mut sgd));
        });
        println!("{name} {library} {r:.1}");
    }
    parallel::set_enabled(false);
}

fn inference<N, const I: usize, const H: usize, const O: usize>(
    name: &str,
    seed: u64,
    make: fn(&mut SeededRng) -> N,
) where
    N: Network<f32, I, O>,
{
    let batches = data::batches::<1, I, O>(seed);
    let net = Box::new(make(&mut SeededRng::seed_from_u64(seed)));
    let base = baseline_of::<N, I, H, O>(&*net);
    let mut scratch = Scratch::<1, H, O>::boxed();
    let r = rate(|i| {
        base.predict(black_box(&batches[i % BATCHES].rows), &mut scratch);
        black_box(base.output(&scratch)[0][0]);
    });
    println!("{name} baseline {r:.1}");
    let r = rate(|i| {
        black_box(net.forward(black_box(&batches[i % BATCHES].x)));
    });
    println!("{name} ferroflow {r:.1}");
}

/// The batches of one workload as raw little-endian `f32`: for each of `BATCHES` batches,
/// `B × I` inputs row by row, then `B × O` one-hot targets.
fn write_data<const B: usize, const I: usize, const O: usize>(dir: &str, name: &str, seed: u64) {
    let mut out = Vec::new();
    for batch in data::batches::<B, I, O>(seed) {
        for row in &batch.rows {
            for v in row {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        for &class in &batch.classes {
            for o in 0..O {
                let v: f32 = if o == class { 1.0 } else { 0.0 };
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
    }
    let path = format!("{dir}/{name}.f32");
    std::fs::File::create(&path).and_then(|mut f| f.write_all(&out)).expect("write data");
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let [_, flag, dir] = args.as_slice()
        && flag == "--write-data"
    {
        // The seeds of `benches/workloads.rs`.
        write_data::<1, 2, 2>(dir, "W1", 1);
        write_data::<32, 64, 10>(dir, "W2", 2);
        write_data::<64, 784, 10>(dir, "W3", 3);
        write_data::<1, 2, 2>(dir, "I1", 4);
        write_data::<1, 784, 10>(dir, "I3", 5);
        return;
    }
    training::<Tiny, 1, 2, 16, 2>("W1", 1, Tiny::random);
    training::<Small, 32, 64, 32, 10>("W2", 2, Small::random);
    training::<Mnist, 64, 784, 128, 10>("W3", 3, Mnist::random);
    inference::<Tiny, 2, 16, 2>("I1", 4, Tiny::random);
    inference::<Mnist, 784, 128, 10>("I3", 5, Mnist::random);
}
