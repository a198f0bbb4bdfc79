//! Weights that travel: safetensors files (what PyTorch, numpy and Hugging Face tools read)
//! and Rust source with the weights as `const` arrays, for baking into firmware.
//!
//! Both work on any value implementing [`Parameters`](crate::optim::Parameters): a lone
//! [`Perceptron`](crate::Perceptron), a `network!` network, or a hand-written model. Tensors
//! are named as PyTorch names a state dict (`hidden.weight`, `hidden.bias`) and laid out
//! as `nn.Linear` lays them out (`[out, in]`, row-major), so a state dict moves both ways.
//! [`LoadWeights`] (in the prelude) makes a network from a file,
//! `MyNet::load("model.safetensors")?`, and [`safetensors::metadata`] reads the string map
//! a file was saved with. A [`Classifier`] keeps a network's class names with its weights,
//! and answers with a name.

mod classifier;
pub mod rust_source;
pub mod safetensors;

pub use classifier::{CLASSES_KEY, Classifier};
pub use rust_source::{ExportError, int8_to_rust_source, to_rust_source};
pub use safetensors::{LoadWeights, TensorMismatch, WeightsError, WeightsErrorKind};

use crate::Element;

/// The safetensors name of an element type (`"F32"`, `"F64"`).
fn dtype<T: Element>() -> &'static str {
    match T::NAME {
        "f32" => "F32",
        _ => "F64",
    }
}
