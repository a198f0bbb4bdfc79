//! The `no_std` core of ferroflow: every primitive of the tutorial "Deep Learning From
//! Scratch" with its forward and backward pass, over matrices whose dimensions are const
//! generics.
//!
//! # Conventions
//! - A batch of `B` samples with `N` features is a [`Matrix<T, B, N>`]: one sample per
//!   row, as in the tutorial's `X W + b`. A layer from `I` to `O` features holds its
//!   weights as a `Matrix<T, I, O>` and its bias as a [`RowVector<T, O>`].
//! - Every operation lives in its own file under [`ops`] and comes as a pair: the forward
//!   function and its backward pass, the vector–Jacobian product that turns the gradient
//!   of a scalar loss with respect to the output into gradients with respect to the inputs.
//! - Losses ([`loss`]) average over the batch like PyTorch's defaults, so a learning rate
//!   means the same thing at every batch size.
//! - Nothing here allocates, but for two things the `alloc` feature enables: large
//!   parameter matrices live off the stack, and so does the [`workspace`] of a training
//!   step or forward pass too large for it (allocated once per thread, reused by every
//!   later step).
#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]
// docs.rs marks each item that needs a feature (`--cfg docsrs`, on nightly there).
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "alloc")]
extern crate alloc;

#[cfg(feature = "rand")]
#[cfg_attr(docsrs, doc(cfg(feature = "rand")))]
pub mod datasets;
pub mod dropout;
pub mod element;
pub mod graph;
pub mod init;
pub mod kernels;
pub mod loss;
pub mod matrix;
pub mod network;
pub mod ops;
pub mod optim;
pub mod perceptron;
pub mod preprocess;
pub mod quant;
pub mod shape;
pub mod workspace;

#[cfg(test)]
pub(crate) mod testing;

pub use dropout::Dropout;
pub use element::Element;
pub use loss::{BinaryCrossEntropy, CrossEntropy, Loss, MeanSquaredError};
pub use matrix::{Matrix, RowVector};
pub use network::Network;
pub use ops::activation::Activation;
pub use ops::{Identity, Relu, Sigmoid, Softmax, Tanh};
pub use optim::{
    Adam, GradientDescent, LearningRate, Momentum, Optimizer, OptimizerFor, Parameters,
    PerParameter,
};
pub use perceptron::{Boxed, Perceptron, PerceptronGradients};
pub use preprocess::{InputScaling, Preprocessed};
