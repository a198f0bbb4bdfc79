//! The workloads' networks and learning rate, shared by the criterion benches
//! (`benches/workloads.rs`) and the cross-library comparison (`benches/compare/`), so both
//! time the very same models, and start the baseline from the same weights.

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

/// The hand-written baseline (`baseline.rs`, which the including crate declares as its
/// module `baseline`) with exactly the network's parameters.
pub fn baseline_of<N: Parameters<f32>, const I: usize, const H: usize, const O: usize>(
    net: &N,
) -> Box<crate::baseline::Mlp<I, H, O>> {
    let mut tensors: Vec<Vec<f32>> = Vec::new();
    net.for_each_param(&mut |_, values| tensors.push(values.to_vec()));
    crate::baseline::Mlp::from_pytorch_layout(&tensors[0], &tensors[1], &tensors[2], &tensors[3])
}

/// The gradient-descent learning rate of every training workload.
pub const RATE: f32 = 0.05;
