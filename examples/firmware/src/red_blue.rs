//! The network, its data and its training, shared word for word by the host (the build
//! script, which computes what the device must reproduce) and the device (the firmware).
//!
//! Both sides run this very code from the same seed, through the same libm and the same
//! IEEE-754 single-precision arithmetic (Rust never fuses a multiply and an add on its own),
//! so the device should reproduce the host's numbers bit for bit; the firmware accepts a
//! difference of up to [`TOLERANCE`].

use ferroflow::clusters::{self, Clusters};
use ferroflow::prelude::*;

network! {
    /// The tutorial's multi-layer perceptron (part V): 2 → 16 (sigmoid) → 2 (softmax),
    /// 82 parameters, trained on cross-entropy.
    pub struct RedBlue<f32> {
        input: 2,
        hidden: Perceptron<16, Sigmoid>,
        output: Perceptron<2, Softmax>,
    }
}

/// The largest difference between a device result and the host's that counts as equal.
pub const TOLERANCE: f32 = 1e-5;

/// The number of points in the data set.
pub const SAMPLES: usize = 100;
/// The samples in one training step's batch: small, so that the training firmware's
/// stack fits the 16 kB of RAM of a Cortex-M0 board.
pub const BATCH: usize = 10;
/// The batches in one pass over the data (an epoch).
pub const BATCHES: usize = SAMPLES / BATCH;
/// The step size of gradient descent.
pub const LEARNING_RATE: f32 = 3.0;

/// The seed of the training run on the device.
pub const DEVICE_SEED: u64 = 2;
/// The epochs the device trains for.
pub const DEVICE_EPOCHS: usize = 100;
/// The training loss is printed (and checked) every this many epochs.
pub const REPORT_EVERY: usize = 10;
/// The number of reports of a training run of `epochs` epochs: after epoch 1 and after
/// every [`REPORT_EVERY`]-th.
pub const fn reports(epochs: usize) -> usize {
    1 + epochs / REPORT_EVERY
}

/// The seed of the host's training run whose weights the inference firmware bakes in.
pub const HOST_SEED: u64 = 1;
/// The epochs of the host's training run.
pub const HOST_EPOCHS: usize = 300;

/// The points the inference firmware classifies: the four cluster centres, the middle,
/// and points between and beyond the clusters.
pub const INPUTS: [[f32; 2]; 8] = [
    [0.0, 0.0],
    [1.0, 1.0],
    [0.0, 1.0],
    [1.0, 0.0],
    [0.5, 0.5],
    [0.2, 0.9],
    [-0.3, 0.4],
    [1.2, -0.1],
];

/// The samples of one training step.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Batch {
    /// One point per row.
    pub points: Matrix<f32, BATCH, 2>,
    /// One-hot labels, one row per point.
    pub labels: Matrix<f32, BATCH, 2>,
}

/// The tutorial's XOR-like clusters (part V: no line separates them) and a freshly
/// initialised network, both drawn from `seed`, in that order.
pub fn start(seed: u64) -> (Clusters<f32, SAMPLES>, RedBlue) {
    let mut rng = SeededRng::seed_from_u64(seed);
    let data = clusters::xor(&mut rng);
    let net = RedBlue::random(&mut rng);
    (data, net)
}

/// The data cut into [`BATCHES`] batches. Batch `j` holds samples `j`, `j + BATCHES`,
/// `j + 2 BATCHES`, …: the data set lists its four clusters one after the other, so every
/// batch gets points of all four.
pub fn batches(data: &Clusters<f32, SAMPLES>) -> [Batch; BATCHES] {
    let empty = Batch { points: Matrix::zeros(), labels: Matrix::zeros() };
    let mut out = [empty; BATCHES];
    // nalgebra stores by column: the x of every sample, then the y of every sample.
    let (xs, ys) = data.points.as_slice().split_at(SAMPLES);
    let (reds, blues) = data.labels.as_slice().split_at(SAMPLES);
    let samples = xs.iter().zip(ys).zip(reds.iter().zip(blues));
    for (i, ((&x, &y), (&red, &blue))) in samples.enumerate() {
        let (j, row) = (i % BATCHES, i / BATCHES);
        if let Some(batch) = out.get_mut(j) {
            for (matrix, values) in [(&mut batch.points, [x, y]), (&mut batch.labels, [red, blue])]
            {
                for (column, value) in values.into_iter().enumerate() {
                    if let Some(slot) = matrix.get_mut((row, column)) {
                        *slot = value;
                    }
                }
            }
        }
    }
    out
}

/// Trains `net` by gradient descent for `epochs` passes over `batches`, one step per batch.
/// After the first epoch and after every [`REPORT_EVERY`]-th, calls `report(epoch, loss)`
/// with the mean loss of that epoch's steps (each measured before its step's update).
pub fn train(
    net: &mut RedBlue,
    batches: &[Batch; BATCHES],
    epochs: usize,
    mut report: impl FnMut(usize, f32),
) {
    let mut sgd = GradientDescent::new(LEARNING_RATE);
    for epoch in 1..=epochs {
        let mut total = 0.0;
        for batch in batches {
            total += net.train_step(&batch.points, &batch.labels, &mut sgd);
        }
        if epoch == 1 || epoch % REPORT_EVERY == 0 {
            report(epoch, total / BATCHES as f32);
        }
    }
}

/// The number of points of `batches` that `net` classifies correctly.
pub fn correct(net: &RedBlue, batches: &[Batch; BATCHES]) -> usize {
    let mut correct = 0;
    for batch in batches {
        let predicted = net.classify_batch(&batch.points);
        // Class 1 (blue) where the second label is the larger.
        let (reds, blues) = batch.labels.as_slice().split_at(BATCH);
        let truth = reds.iter().zip(blues).map(|(red, blue)| usize::from(blue > red));
        correct += predicted.iter().zip(truth).filter(|&(&p, t)| p == t).count();
    }
    correct
}

/// The mean loss of `net` over every point of `batches`.
pub fn loss(net: &RedBlue, batches: &[Batch; BATCHES]) -> f32 {
    let total: f32 = batches.iter().map(|batch| net.loss(&batch.points, &batch.labels)).sum();
    total / BATCHES as f32
}
