//! The digits network trained on the device: from a seeded random initialisation, on the
//! training set in flash (raw pixels, 0 to 16, a byte each, standardised as they are
//! read with the training set's statistics), by gradient descent, in batches of [`BATCH`] in an order shuffled each
//! epoch. Shared word for word by the build script, which runs the same training on the
//! host first and writes what the device must reproduce, and the `digits_training`
//! firmware. No heap: the network, the order and one batch are all there is, on the
//! stack.
//!
//! Gradient descent, not Adam: Adam's state lookup keeps a check for being driven outside
//! the model's own steps, which the compiler cannot remove for layers this size, and the
//! firmware holds no panic path. (It also needs twice the network's size in RAM.)

use crate::digits::Digits;
use ferroflow::prelude::*;
use ferroflow::{Rng, SeededRng};

/// A raw sample standardised: `(x − mean) / deviation` per pixel, in `f32`, computed the
/// same way on the host and on the device.
pub fn standardised(raw: &[u8; 64], scaling: &InputScaling<f32, 64>) -> [f32; 64] {
    scaling.apply(&raw.map(f32::from))
}

/// The seed of the initial weights and of every epoch's order.
pub const SEED: u64 = 7;
/// Samples per training step.
pub const BATCH: usize = 16;
/// Passes over the training set.
pub const EPOCHS: usize = 10;
/// The step size of gradient descent.
pub const LEARNING_RATE: f32 = 0.3;

/// The network, freshly initialised from [`SEED`], and the generator that then draws
/// every epoch's order.
pub fn start() -> (Digits, SeededRng) {
    let mut rng = SeededRng::seed_from_u64(SEED);
    let net = Digits::random(&mut rng);
    (net, rng)
}

/// `0, 1, …, N − 1`: the order [`epoch`] shuffles.
pub fn identity_order<const N: usize>() -> [u16; N] {
    let mut order = [0; N];
    for (i, slot) in order.iter_mut().enumerate() {
        *slot = i as u16;
    }
    order
}

/// One pass over `samples`: shuffles `order` (Fisher–Yates, from `rng`), then takes one
/// gradient-descent step per full batch of [`BATCH`] samples in that order (the last partial batch is
/// left out). Returns the mean of the steps' losses, each measured before its update.
pub fn epoch<const N: usize>(
    net: &mut Digits,
    sgd: &mut GradientDescent<f32>,
    rng: &mut SeededRng,
    order: &mut [u16; N],
    samples: &[[u8; 64]; N],
    labels: &[u8; N],
    scaling: &InputScaling<f32, 64>,
) -> f32 {
    for i in (1..N).rev() {
        // `% (i + 1)` has a bias below 2^-20 here, and is the same on both sides.
        let j = rng.next_u32() as usize % (i + 1);
        order.swap(i, j.min(i));
    }
    let mut x = Matrix::<f32, BATCH, 64>::zeros();
    let mut y = Matrix::<f32, BATCH, 10>::zeros();
    let (mut total, mut steps) = (0.0f32, 0u32);
    for batch in order.chunks_exact(BATCH) {
        y.fill(0.0);
        for (row, &i) in batch.iter().enumerate() {
            let (Some(sample), Some(&label)) =
                (samples.get(usize::from(i)), labels.get(usize::from(i)))
            else {
                continue;
            };
            for (column, &value) in standardised(sample, scaling).iter().enumerate() {
                if let Some(slot) = x.get_mut((row, column)) {
                    *slot = value;
                }
            }
            if let Some(slot) = y.get_mut((row, usize::from(label))) {
                *slot = 1.0;
            }
        }
        total += net.train_step(&x, &y, sgd);
        steps += 1;
    }
    total / steps.max(1) as f32
}

/// How many of the raw `samples` `net` classifies as `labels` says.
pub fn correct<const N: usize>(
    net: &Digits,
    samples: &[[u8; 64]; N],
    labels: &[u8; N],
    scaling: &InputScaling<f32, 64>,
) -> u32 {
    let mut correct = 0;
    for (x, &label) in samples.iter().zip(labels) {
        correct += u32::from(net.classify(&standardised(x, scaling)) == usize::from(label));
    }
    correct
}
