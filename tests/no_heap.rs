//! No heap on the inference and training path: a counting global allocator sees zero
//! allocations in `forward`, `predict`, `classify`, `loss` and `train_step` of generated
//! networks, with every optimizer.
//!
//! The allocator (`stats_alloc`, installed below as this test binary's
//! `#[global_allocator]`) counts the allocations of every thread, so those of the
//! `parallel` feature's worker thread count too. That is why this file runs without the
//! test harness (`harness = false`, a `main` of its own): libtest's main thread does its
//! bookkeeping for a test (allocating) while the test runs, at a moment the machine's load
//! decides, and another test beside it would add its own allocations. Its first part shows
//! that the counter sees an allocation made on another thread. (The allocator
//! comes from a crate because the workspace denies `unsafe` code, and a global allocator
//! is an `unsafe impl`.)

use ferroflow::clusters;
use ferroflow::prelude::*;
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};
use std::alloc::System;
use std::hint::black_box;
use std::sync::atomic::{AtomicU8, Ordering};

#[global_allocator]
static ALLOCATOR: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Runs `work` and returns its result with the number of heap allocations and
/// reallocations made meanwhile, on any thread.
fn allocations<R>(work: impl FnOnce() -> R) -> (R, usize) {
    let region = Region::new(ALLOCATOR);
    let result = black_box(work());
    let change = region.change();
    (result, change.allocations + change.reallocations)
}

network! {
    /// The firmware's network: 2 → 16 (sigmoid) → 2 (softmax).
    struct RedBlue<f32> {
        input: 2,
        hidden: Perceptron<16, Sigmoid>,
        output: Perceptron<2, Softmax>,
    }
}

network! {
    /// Every other activation and loss, in f64.
    struct Deep<f64> {
        input: 8,
        first: Perceptron<32, Relu>,
        second: Perceptron<16, Tanh>,
        output: Perceptron<4, Sigmoid>,
    }
}

fn main() {
    the_counter_sees_an_allocation_here_and_on_another_thread();
    inference_and_training_steps_do_not_touch_the_heap();
    #[cfg(feature = "parallel")]
    a_split_training_step_does_not_touch_the_heap();
    println!("no_heap: no allocation on any thread");
}

fn the_counter_sees_an_allocation_here_and_on_another_thread() {
    let (v, n) = allocations(|| vec![1u8; 100].len());
    assert_eq!((v, n), (100, 1));

    // A thread started beforehand, so that only what it does on a signal is measured:
    // one vector, allocated and freed there. It says when it runs, so that what starting
    // a thread allocates on the new thread is over before the count begins.
    const STARTING: u8 = 0;
    const READY: u8 = 1;
    const GO: u8 = 2;
    const DONE: u8 = 3;
    let state = AtomicU8::new(STARTING);
    std::thread::scope(|scope| {
        scope.spawn(|| {
            state.store(READY, Ordering::Release);
            while state.load(Ordering::Acquire) != GO {
                std::hint::spin_loop();
            }
            black_box(vec![2u8; 100]);
            state.store(DONE, Ordering::Release);
        });
        while state.load(Ordering::Acquire) != READY {
            std::hint::spin_loop();
        }
        let ((), n) = allocations(|| {
            state.store(GO, Ordering::Release);
            while state.load(Ordering::Acquire) != DONE {
                std::hint::spin_loop();
            }
        });
        assert_eq!(n, 1, "the other thread's allocation is counted");
    });
}

fn inference_and_training_steps_do_not_touch_the_heap() {
    let mut rng = SeededRng::seed_from_u64(3);
    let data: clusters::Clusters<f32, 100> = clusters::xor(&mut rng);
    let mut net = RedBlue::random(&mut rng);
    let before = net.clone();
    let one: Matrix<f32, 1, 2> = from_rows([[0.25, 0.75]]);
    let batch: Matrix<f32, 10, 2> = data.points.fixed_rows::<10>(45).into_owned();
    let labels: Matrix<f32, 10, 2> = data.labels.fixed_rows::<10>(45).into_owned();

    assert_eq!(allocations(|| net.forward(&one)).1, 0, "forward, one sample");
    assert_eq!(allocations(|| net.forward(&data.points)).1, 0, "forward, 100 samples");
    assert_eq!(allocations(|| net.predict(&[0.25, 0.75])).1, 0, "predict");
    assert_eq!(allocations(|| net.classify(&[0.25, 0.75])).1, 0, "classify");
    assert_eq!(allocations(|| net.classify_batch(&batch)).1, 0, "classify_batch");
    assert_eq!(allocations(|| net.loss(&batch, &labels)).1, 0, "loss");
    assert_eq!(allocations(|| net.gradients(&batch, &labels)).1, 0, "gradients");

    let mut sgd = GradientDescent::new(3.0);
    let (first, n) = allocations(|| net.train_step(&batch, &labels, &mut sgd));
    assert_eq!(n, 0, "train_step with gradient descent");
    let (full, n) = allocations(|| net.train_step(&data.points, &data.labels, &mut sgd));
    assert_eq!(n, 0, "train_step on 100 samples");

    // Optimizers with state allocate it once, when built (with `alloc`), never per step.
    let mut momentum = Momentum::new(0.5, 0.9);
    let mut adam = Adam::new(0.01);
    for _ in 0..3 {
        let n = allocations(|| net.train_step(&batch, &labels, &mut momentum)).1;
        assert_eq!(n, 0, "train_step with momentum");
        assert_eq!(allocations(|| net.train_step(&batch, &labels, &mut adam)).1, 0, "Adam");
    }
    // The steps above ran for real: the weights moved.
    assert!(first.is_finite() && full.is_finite());
    assert_ne!(net, before, "the training steps changed nothing");

    let mut deep = Deep::random(&mut rng);
    let x: Matrix<f64, 16, 8> = Matrix::from_fn(|r, c| ((r * 8 + c) % 7) as f64 / 7.0 - 0.5);
    let y: Matrix<f64, 16, 4> = Matrix::from_fn(|r, c| ((r + c) % 2) as f64);
    let mut sgd64 = GradientDescent::new(0.1);
    assert_eq!(allocations(|| deep.forward(&x)).1, 0, "deep forward");
    assert_eq!(allocations(|| deep.train_step(&x, &y, &mut sgd64)).1, 0, "deep train_step");
}

#[cfg(feature = "parallel")]
network! {
    /// A hidden layer large enough to be split between the two cores (32 × 256 × 512
    /// multiply-adds); its output layer of 2 units is too narrow to split.
    struct Split<f32> {
        input: 256,
        hidden: Perceptron<512, Relu>,
        output: Perceptron<2, Softmax>,
    }
}

/// An optimizer that counts how often its update was split between the two cores, so the
/// test knows the steps it measures did split.
#[cfg(feature = "parallel")]
struct CountSplits<O> {
    inner: O,
    splits: usize,
}

#[cfg(feature = "parallel")]
impl<O: ferroflow::optim::Optimizer<f32>> ferroflow::optim::Optimizer<f32> for CountSplits<O> {
    fn begin_step(&mut self) {
        self.inner.begin_step();
    }

    fn update(&mut self, offset: usize, params: &mut [f32], gradients: &[f32]) {
        self.inner.update(offset, params, gradients);
    }

    fn split_at(
        &mut self,
        offset: usize,
        len: usize,
        at: usize,
        both: &mut dyn FnMut(
            &mut ferroflow::optim::Part<'_, f32>,
            &mut ferroflow::optim::Part<'_, f32>,
        ),
    ) -> bool {
        let split = self.inner.split_at(offset, len, at, both);
        self.splits += usize::from(split);
        split
    }
}

#[cfg(feature = "parallel")]
impl<G, O: ferroflow::optim::OptimizerFor<f32, G>> ferroflow::optim::OptimizerFor<f32, G>
    for CountSplits<O>
{
}

/// With `parallel`, a training step that splits a layer's update between the two cores
/// allocates nothing, on either thread: the optimizer's two parts live on the stack of
/// `Optimizer::split_at`.
#[cfg(feature = "parallel")]
fn a_split_training_step_does_not_touch_the_heap() {
    use ferroflow::kernels::parallel;
    let mut rng = SeededRng::seed_from_u64(5);
    let x: Matrix<f32, 32, 256> = Matrix::from_fn(|r, c| ((r * 7 + c) % 11) as f32 / 11.0);
    let y: Matrix<f32, 32, 2> = Matrix::from_fn(|r, c| ((r + c) % 2) as f32);
    // On a thread with room for the layer's weights in a debug build; started, and the
    // worker and the workspaces too (by a first step of each kind), before anything is
    // measured.
    std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(move || {
            let mut net = Box::new(Split::random(&mut rng));
            let mut sgd = CountSplits { inner: GradientDescent::new(0.01), splits: 0 };
            let mut adam = CountSplits { inner: Adam::new(0.001), splits: 0 };
            net.train_step(&x, &y, &mut sgd);
            net.train_step(&x, &y, &mut adam);
            // Its first forward pass makes this thread's workspace for inference.
            net.forward(&x);
            assert!(parallel::enabled());
            for step in 1..=3 {
                let n = allocations(|| net.train_step(&x, &y, &mut sgd)).1;
                assert_eq!(n, 0, "a split step by gradient descent");
                let n = allocations(|| net.train_step(&x, &y, &mut adam)).1;
                assert_eq!(n, 0, "a split step by Adam");
                // The hidden layer's update split at every step, the first included.
                assert_eq!((sgd.splits, adam.splits), (step + 1, step + 1));
            }
            parallel::set_enabled(false);
            let n = allocations(|| net.train_step(&x, &y, &mut adam)).1;
            parallel::set_enabled(true);
            assert_eq!(n, 0, "the same step on one thread");
            assert_eq!(allocations(|| net.forward(&x)).1, 0, "a split forward product");
        })
        .expect("a test thread")
        .join()
        .expect("the split steps");
}
