//! What the tutorial's computational graph costs next to `network!`: workload W2's network
//! built both ways, in one criterion group per pair, so that each ratio divides two medians
//! of one run.
//!
//! - T2: 64 → 32 (sigmoid) → 10 (softmax), cross-entropy, gradient descent, batches of 32:
//!   a training step (`network!`'s `train_step` against one `Minimization::step` of the
//!   graph, fed the same batch) and an inference (`forward` against `Session::run`).
//!
//! The graph is the tutorial's, as `examples/part5_graph_mlp.rs` builds it: its loss `J`
//! is the cross-entropy summed over the batch, where `network!`'s is the mean, so the graph
//! descends with the rate divided by the batch size, which makes the two steps the same
//! update. The target (issue 14): the graph at least half as fast as `network!`. Run with
//! `cargo bench --bench tutorial_graph`; `python3 benches/report.py` prints the ratios.

use criterion::{Criterion, criterion_group, criterion_main};
use ferroflow::graph::{
    Axis, Bias, Minimize, Placeholder, Session, Variable, log, matmul, multiply, negative,
    reduce_sum, reduce_sum_axis, sigmoid, softmax,
};
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
use networks::{RATE, Small};

/// The batch size.
const B: usize = 32;

/// How many steps each timed run trains from the same start (as `benches/graph.rs`: a
/// network trained for millions of steps on a few batches saturates into subnormals).
const STEPS: u64 = 32;

/// The graph's variables: `Small`'s four tensors.
struct Variables {
    w_hidden: Variable<f32, 64, 32>,
    b_hidden: Bias<f32, 32>,
    w_output: Variable<f32, 32, 10>,
    b_output: Bias<f32, 10>,
}

impl Variables {
    fn of(net: &Small) -> Self {
        Variables {
            w_hidden: Variable::new(net.hidden.weights),
            b_hidden: Bias::new(net.hidden.bias),
            w_output: Variable::new(net.output.weights),
            b_output: Bias::new(net.output.bias),
        }
    }

    /// Back to `net`'s weights.
    fn load(&self, net: &Small) {
        self.w_hidden.set(net.hidden.weights);
        self.b_hidden.set(net.hidden.bias);
        self.w_output.set(net.output.weights);
        self.b_output.set(net.output.bias);
    }
}

/// Builds the tutorial's graph over `$v` (a `Variables`), binding the output
/// probabilities to `$p` and the loss to `$j`, in the caller's scope (a graph borrows its
/// nodes, so it cannot be returned).
macro_rules! tutorial_graph {
    ($v:expr => $p:ident, $j:ident) => {
        let x = Placeholder::<f32, B, 64, 0>::new();
        let c = Placeholder::<f32, B, 10, 1>::new();
        let hidden = sigmoid(matmul(x, &$v.w_hidden) + &$v.b_hidden);
        let $p = softmax(matmul(hidden, &$v.w_output) + &$v.b_output);
        let $j = negative(reduce_sum(reduce_sum_axis(multiply(c, log(&$p)), Axis::<1>)));
    };
}

/// Before anything is timed: from the same weights, on the same batches, the graph and
/// `network!` give the same losses step after step and the same outputs after training.
/// Otherwise the two would not be doing the same work.
fn check_same_maths(net: &Small, batches: &[Box<Batch<B, 64, 10>>]) {
    let mut net = net.clone();
    let variables = Variables::of(&net);
    tutorial_graph!(variables => p, j);
    let mut sgd = GradientDescent::new(RATE);
    let mut minimization = GradientDescent::new(RATE / B as f32).minimize(&j);
    for (step, batch) in batches.iter().cycle().take(4 * BATCHES).enumerate() {
        let ours = minimization.step(&(batch.x, batch.labels)) / B as f32;
        let theirs = net.train_step(&batch.x, &batch.labels, &mut sgd);
        assert!(
            (ours - theirs).abs() <= 1e-4 * theirs.abs().max(1.0),
            "step {step}: graph loss {ours} vs network! {theirs}"
        );
    }
    for batch in batches {
        let ours = Session.run(&p, &batch.x);
        let theirs = net.forward(&batch.x);
        let difference = (ours - theirs).abs().max();
        assert!(difference < 1e-4, "outputs differ by {difference:e}");
    }
}

fn tutorial_graph(c: &mut Criterion) {
    let mut rng = SeededRng::seed_from_u64(14);
    let mut net = Small::random(&mut rng);
    // Random biases too, so that a wrong bias path cannot hide.
    net.for_each_param_mut(&mut |name, values| {
        if name.tensor == "bias" {
            for v in values {
                *v = ferroflow::init::uniform(&mut rng, -0.1, 0.1) as f32;
            }
        }
    });
    let batches = data::batches::<B, 64, 10>(2);
    check_same_maths(&net, &batches);

    let mut group = c.benchmark_group("T2 train tutorial graph vs network! 64-32-10 b32");
    group.bench_function("network!", |bench| {
        bench.iter_custom(|iterations| {
            let mut timed = Duration::ZERO;
            let mut done = 0;
            while done < iterations {
                let mut ours = Box::new(net.clone());
                let mut sgd = GradientDescent::new(RATE);
                let run = STEPS.min(iterations - done);
                let start = Instant::now();
                for step in 0..run as usize {
                    let batch = &batches[step % BATCHES];
                    black_box(ours.train_step(black_box(&batch.x), &batch.labels, &mut sgd));
                }
                timed += start.elapsed();
                done += run;
            }
            timed
        })
    });
    let variables = Variables::of(&net);
    tutorial_graph!(variables => p, j);
    let mut minimization = GradientDescent::new(RATE / B as f32).minimize(&j);
    // The feeds, built once: the tutorial's feed_dict, which the timed step only reads.
    let feeds: Vec<_> = batches.iter().map(|batch| (batch.x, batch.labels)).collect();
    group.bench_function("tutorial graph", |bench| {
        bench.iter_custom(|iterations| {
            let mut timed = Duration::ZERO;
            let mut done = 0;
            while done < iterations {
                variables.load(&net);
                let run = STEPS.min(iterations - done);
                let start = Instant::now();
                for step in 0..run as usize {
                    black_box(minimization.step(black_box(&feeds[step % BATCHES])));
                }
                timed += start.elapsed();
                done += run;
            }
            timed
        })
    });
    group.finish();

    variables.load(&net);
    let mut group = c.benchmark_group("T2 infer tutorial graph vs network! 64-32-10 b32");
    let mut step = 0;
    group.bench_function("network!", |bench| {
        bench.iter(|| {
            step = (step + 1) % BATCHES;
            black_box(net.forward(black_box(&batches[step].x)))
        })
    });
    let mut step = 0;
    group.bench_function("tutorial graph", |bench| {
        bench.iter(|| {
            step = (step + 1) % BATCHES;
            black_box(Session.run(&p, black_box(&batches[step].x)))
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(std::time::Duration::from_secs(1))
        .measurement_time(std::time::Duration::from_secs(3));
    targets = tutorial_graph
}
criterion_main!(benches);
