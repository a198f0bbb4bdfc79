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
//!
//! # The public API, and why each module is part of it
//! Users depend on the facade crate `ferroflow`, which re-exports all of this by name and
//! adds the `network!` macro, a prelude, and its `std` modules (data, io, train, plot).
//!
//! | module | why it is public |
//! |---|---|
//! | [`matrix`] | batches, weights and labels are [`Matrix`] values; its constructors build them |
//! | [`ops`] | the tutorial's primitives, each a forward function and its backward pass: what a hand-written layer, the graph and the generated networks are made of |
//! | [`graph`] | the tutorial's own API: placeholders, variables, operations, a session, `minimize` |
//! | [`perceptron`] | the layer every generated network holds as public fields, and the size rule for the heap ([`perceptron::LARGE_LAYER`]) |
//! | [`network`] | the [`Network`] trait, for code generic over networks (training loops, metrics) |
//! | [`loss`], [`optim`] | the losses and optimizers (with learning-rate schedules) a network trains with; a user may add their own |
//! | [`init`] | the initial weights' distributions, for networks and graphs built by hand |
//! | [`preprocess`] | input scaling that travels with a model's weights |
//! | [`quant`] | int8 inference for microcontrollers |
//! | [`clusters`] | the tutorial's red/blue clusters, with the `rand` feature |
//! | [`entry`] | the shape rules at a network's entry points, whose names appear in the errors a wrong batch gives |
//! | [`workspace`] | what a pass keeps where: the stack limit, the stack a batch needs, freeing a thread's buffers |
//! | [`kernels`] | two switches only: which instruction set the products use, and (`parallel`) whether large layers split across two cores |
//!
//! Everything else is the crate's own (the kernels above all, whose shapes follow the
//! perceptron's needs). The one item the generated code names beyond these is in the
//! hidden `__private` module, and may change in any release; the workspace's slot types
//! ([`workspace::Store`]) are public because the workspaces `network!` generates hold them.
#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]
// docs.rs marks each item that needs a feature (`--cfg docsrs`, on nightly there).
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "alloc")]
extern crate alloc;

#[cfg(feature = "rand")]
#[cfg_attr(docsrs, doc(cfg(feature = "rand")))]
pub mod clusters;
mod dropout;
mod element;
pub mod entry;
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
pub mod workspace;

#[cfg(test)]
pub(crate) mod testing;

/// What the facade's `__private` module hands to the code `network!` generates, beyond the
/// public API: not for users, and free to change in any release.
#[doc(hidden)]
pub mod __private {
    pub use crate::kernels::isa::{Arithmetic, AsBuilt, Fused, run_here};
    #[cfg(all(feature = "std", target_arch = "x86_64"))]
    pub use crate::kernels::isa::{Avx2Fma, in_avx2_fma, pass_variant};
}

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
