//! The workloads' networks and learning rate, shared by the criterion benches
//! (`benches/workloads.rs`) and the cross-library comparison (`bench/compare/`), so both
//! time the very same models.

use ferroflow::prelude::*;

network! {
    /// W1 and I1.
    pub struct Tiny<f32> {
        input: 2,
        hidden: Perceptron<16, Sigmoid>,
        output: Perceptron<2, Softmax>,
    }
}

network! {
    /// W2.
    pub struct Small<f32> {
        input: 64,
        hidden: Perceptron<32, Sigmoid>,
        output: Perceptron<10, Softmax>,
    }
}

network! {
    /// W3 and I3.
    pub struct Mnist<f32> {
        input: 784,
        hidden: Perceptron<128, Sigmoid>,
        output: Perceptron<10, Softmax>,
    }
}

/// The gradient-descent learning rate of every training workload.
pub const RATE: f32 = 0.05;
