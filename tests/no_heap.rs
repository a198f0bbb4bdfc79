//! No heap on the inference and training path: a counting global allocator
//! (`allocation-counter`, which installs itself as the test binary's `#[global_allocator]`)
//! sees zero allocations in `forward`, `predict`, `classify`, `loss` and `train_step` of
//! generated networks, with every optimizer.
//!
//! Counts are per thread, so the test harness's own allocations on other threads do not
//! count; the first test shows the counter does see an allocation when there is one. (The
//! allocator comes from a crate because the workspace denies `unsafe` code, and a global
//! allocator is an `unsafe impl`.)

use ferroflow::datasets;
use ferroflow::prelude::*;
use std::hint::black_box;

/// Runs `work` and returns its result with the number of heap allocations it made.
fn allocations<R>(work: impl FnOnce() -> R) -> (R, u64) {
    let mut result = None;
    let info = allocation_counter::measure(|| result = Some(black_box(work())));
    (result.expect("measure runs the closure"), info.count_total)
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

#[test]
fn the_counter_sees_an_allocation() {
    let (v, n) = allocations(|| vec![1u8; 100].len());
    assert_eq!((v, n), (100, 1));
}

#[test]
fn inference_and_training_steps_do_not_touch_the_heap() {
    let mut rng = SeededRng::seed_from_u64(3);
    let data: datasets::Clusters<f32, 100> = datasets::xor(&mut rng);
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
