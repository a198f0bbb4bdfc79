//! ferroflow: neural networks whose shapes are checked by the compiler.
//!
//! This is the crate users depend on. It re-exports the `no_std` core
//! ([`ferroflow_core`]) and the `network!` macro.
#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

pub use ferroflow_core::*;

/// The RNG ferroflow's examples use: small, fast, and the same stream on every target.
pub use rand::rngs::Xoshiro256PlusPlus as SeededRng;
pub use rand::{Rng, SeedableRng};

/// Everything a typical program needs, in one `use`.
pub mod prelude {
    pub use crate::loss::{BinaryCrossEntropy, CrossEntropy, Loss, MeanSquaredError};
    pub use crate::matrix::{from_rows, row};
    pub use crate::optim::{GradientDescent, Optimizer, Parameters};
    pub use crate::{
        Activation, Element, Identity, Matrix, Perceptron, Relu, RowVector, Sigmoid, Softmax, Tanh,
    };
    pub use crate::{SeedableRng, SeededRng};
}
