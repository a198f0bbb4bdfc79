//! The digits network of `examples/digits.rs` (64 → 32 sigmoid → 10 softmax), shared by the
//! build script, which trains it on the host as the residual network's split and recipe
//! do and quantises it to int8, and the `digits_f32` and `digits_int8` firmware, which
//! classify the whole held-out test set on the device.

use ferroflow::prelude::*;

network! {
    /// 8 × 8 pixels → 32 (sigmoid) → 10 (softmax), 2 410 parameters.
    pub struct Digits<f32> {
        input: 64,
        hidden: Perceptron<32, Sigmoid>,
        output: Perceptron<10, Softmax>,
    }
}

/// The index of the largest value (the first, on a tie), with no indexing, so no bounds
/// check and no panic path.
pub fn argmax<T: PartialOrd + Copy>(values: &[T; 10]) -> usize {
    let mut best = (0, values[0]);
    for (i, &v) in values.iter().enumerate().skip(1) {
        if v > best.1 {
            best = (i, v);
        }
    }
    best.0
}
