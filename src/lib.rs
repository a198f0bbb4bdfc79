//! ferroflow: neural networks whose shapes are checked by the compiler.
//!
//! This is the crate users depend on. It re-exports the public API of the `no_std` core
//! ([`ferroflow_core`], whose docs say why each of its modules is public) and the
//! [`network!`] macro, and adds [`prelude`] (the one `use` most programs need) and, with
//! `std`, [`data`] (loaders), [`train`] (the trainer and metrics), [`io`] (weights files
//! and Rust-source export) and [`plot`] (decision boundaries in the terminal).
#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]
// docs.rs marks each item that needs a feature (`--cfg docsrs`, on nightly there).
#![cfg_attr(docsrs, feature(doc_cfg))]

// The core's public API, named item by item (its hidden `__private` stays behind: the
// generated code reaches the core through this crate's own `__private_v0_1`).
pub use ferroflow_core::clusters;
pub use ferroflow_core::{
    Activation, Adam, BinaryCrossEntropy, Boxed, CrossEntropy, Dropout, Element, GradientDescent,
    Identity, InputScaling, LearningRate, Loss, Matrix, MeanSquaredError, Momentum, Network,
    Optimizer, OptimizerFor, Parameters, PerParameter, Perceptron, PerceptronGradients,
    Preprocessed, Relu, RowVector, Sigmoid, Softmax, Tanh,
};
pub use ferroflow_core::{
    entry, graph, init, kernels, loss, matrix, network, ops, optim, perceptron, preprocess, quant,
    workspace,
};

#[cfg(feature = "std")]
#[cfg_attr(docsrs, doc(cfg(feature = "std")))]
pub mod data;
#[cfg(feature = "std")]
#[cfg_attr(docsrs, doc(cfg(feature = "std")))]
pub mod io;
#[cfg(feature = "std")]
#[cfg_attr(docsrs, doc(cfg(feature = "std")))]
pub mod plot;
#[cfg(feature = "std")]
#[cfg_attr(docsrs, doc(cfg(feature = "std")))]
pub mod train;

/// The RNG ferroflow's examples use: small, fast, and the same stream on every target.
pub use rand::rngs::Xoshiro256PlusPlus as SeededRng;
pub use rand::{Rng, SeedableRng};

/// Builds a network, a chain of layers or a graph, whose every shape is checked by the
/// compiler.
///
/// ```
/// use ferroflow::prelude::*;
///
/// network! {
///     /// The tutorial's multi-layer perceptron for the red/blue clusters.
///     pub struct RedBlue<f32> {
///         input: 2,
///         hidden: Perceptron<16, Sigmoid>,
///         output: Perceptron<2, Softmax>,
///     }
/// }
///
/// let mut rng = SeededRng::seed_from_u64(1);
/// let mut net = RedBlue::random(&mut rng);
/// let x: Matrix<f32, 2, 2> = from_rows([[0.0, 0.0], [1.0, 0.0]]);
/// let labels: Matrix<f32, 2, 2> = from_rows([[1.0, 0.0], [0.0, 1.0]]);
/// let mut sgd = GradientDescent::new(0.5);
/// let first = net.train_step(&x, &labels, &mut sgd);
/// for _ in 0..200 {
///     net.train_step(&x, &labels, &mut sgd);
/// }
/// assert!(net.loss(&x, &labels) < first);
/// assert_eq!(net.classify(&[1.0, 0.0]), 1);
/// assert_eq!(RedBlue::PARAM_COUNT, 2 * 16 + 16 + 16 * 2 + 2);
/// ```
///
/// # The description
/// - Doc comments and attributes go on the struct and on each layer, as usual. The
///   element type (`f32` or `f64`) is written like a generic argument, and may be followed
///   by const generic widths: `pub struct Mlp<f32, const H: usize> { .. }`.
/// - `input: N` comes first: the number of features per sample.
/// - Then the layers, in order, each named (the name becomes a public field holding a
///   [`Perceptron`]): `name: Perceptron<width, Activation>`. The activation is one of
///   `Sigmoid`, `Tanh`, `Relu`, `Identity`, and `Softmax` on the output layer only. A layer
///   may state its input width too, `Perceptron<16 -> 2, Softmax>`; the macro checks it
///   against the layer before.
/// - A width is an integer literal, a constant (`HIDDEN`, `{ 2 * HIDDEN }`), or one of the
///   network's generic widths itself (`H`; Rust cannot yet compute a type's dimension from a
///   generic, so `{ 2 * H }` is an error: give that width a generic of its own). A width of
///   0 is an error at the token; for a generic width, where the generic is given 0 (at
///   `cargo build`, when the network is made).
/// - A node may name what it reads, after its kind: `block: Perceptron<8, Tanh>(stem)`;
///   without a name it reads the node written just before it, so a chain is written as
///   above. See [Graphs](#graphs).
/// - The loss follows from the output activation: softmax → [`CrossEntropy`], sigmoid →
///   [`BinaryCrossEntropy`], anything else → [`MeanSquaredError`]. State another with
///   `#[loss(MeanSquaredError)]` on the struct.
///
/// # Graphs
/// The nodes form a directed acyclic graph: each reads nodes written before it, and the
/// last node written is the output.
///
/// ```
/// use ferroflow::prelude::*;
///
/// network! {
///     /// A residual block beside a one-hot context.
///     pub struct Ranker<f32> {
///         features: Input<6>,
///         context: Input<3>,
///         stem: Perceptron<16, Relu>(features),
///         block: Perceptron<16, Tanh>,
///         skip: Sum(stem, block),          // the block adds its input back
///         drop: Dropout<0.1>,
///         joined: Concat(drop, context),   // 16 + 3 = 19 wide
///         output: Perceptron<2, Softmax>,
///     }
/// }
///
/// // The inputs are the batch's columns side by side, in the order written: 6 + 3.
/// assert_eq!(Ranker::INPUTS, 9);
/// let mut net = Ranker::random(&mut SeededRng::seed_from_u64(1));
/// let x: Matrix<f32, 4, 9> = Matrix::from_fn(|r, c| (r + c) as f32 / 10.0);
/// let labels: Matrix<f32, 4, 2> = Matrix::from_fn(|r, c| f32::from(u8::from(r % 2 == c)));
/// let before = net.loss(&x, &labels);
/// for _ in 0..100 {
///     net.train_step(&x, &labels, &mut GradientDescent::new(0.1));
/// }
/// assert!(net.loss(&x, &labels) < before);
/// ```
///
/// - **Inputs**: `name: Input<width>`, written before the layers. `input: N` is the
///   shorthand for one input called `input`. A network of several inputs takes them as one
///   batch matrix, their columns side by side in the order written (above: features in
///   columns 0–5, the context in 6–8); their widths must be literals or constants.
/// - **`Perceptron<width, Activation>(source)`**: a dense layer, reading one node. A stated
///   input width (`Perceptron<16 -> 2, Softmax>(joined)`) is checked against what it reads.
/// - **`Sum(a, b, …)`**: the element-wise sum of nodes of one width (a skip connection). A
///   node may appear twice (`Sum(h, a, h)` is `2h + a`).
/// - **`Concat(a, b, …)`**: the nodes side by side, as wide as their widths together;
///   their widths must be literals or constants (Rust cannot yet add generic dimensions).
/// - **`Dropout<rate>`**: in training (`train_step`, and [`Network`]'s `forward_trace`,
///   `gradients` and `update_from_trace`) zeroes each unit with probability `rate` and
///   scales the others by `1 / (1 − rate)`; in `forward`, `predict` and `loss`, passes its
///   input through. A public field of type [`Dropout`], seeded (`random` draws the seed,
///   [`Dropout::reseed`] sets one) and with no heap: the mask is a hash of the seed, the
///   step and the unit. The step moves on with each update (`train_step`,
///   `update_from_trace`, `apply_gradients`), so two calls of `gradients` without an update
///   between see one mask. A dropout cannot be the output.
///
/// Each node is computed once per forward pass and once per backward pass; a node read by
/// several others receives the sum of their gradients. Widths are checked where nodes
/// meet: adding nodes of different widths, a stated input width that disagrees with what a
/// layer reads, a name that is not a node, a node that reads itself, a later node or its
/// own readers, and a node or input on no way to the output are errors at the token, each
/// reported once. Layers and dropouts are the struct's fields; every node's value is a
/// field of the activations. One output and one loss: a model with two heads is two
/// networks over a shared input, or one whose output concatenates the heads' (under one
/// loss).
///
/// # What it generates
/// For `struct Net`: the struct (one public field per layer or dropout), `NetGradients` (the same
/// shape, for gradients and for optimizer state: it implements
/// [`PerParameter`]), `NetActivations<B>` (every node's value, what backward needs), and
/// - `Net::new(layers…)`, `Net::zeros()` (both `const` unless a layer lives on the heap
///   when `alloc` is on: one of at least [`LARGE_LAYER`](perceptron::LARGE_LAYER) weights
///   with literal widths, or one with a generic width), `Net::random(&mut rng)`;
/// - `forward`, `loss`, `train_step` on batches of any const size `B`: they take any
///   matrix and check its shape against the network's, so a batch or labels of the wrong
///   width or element type is one error at the argument that names both shapes;
///   `train_step` takes any optimizer made for this network ([`OptimizerFor`]); `predict` /
///   `classify` on one sample;
/// - `Net::INPUTS`, `Net::OUTPUTS`, `Net::PARAM_COUNT`;
/// - `Net::stack_bytes::<B>()` and `Net::forward_stack_bytes::<B>()`, `const fn`s: the stack
///   a training step (inference) on `B` samples needs for its temporaries where they stay
///   on the stack (always without a heap; see [`workspace`]), and `train_step_on_stack`,
///   a step that keeps them there at any batch size and never allocates;
/// - impls of [`Network`] (the generic interface training code uses) and [`Parameters`]
///   (optimizers and serialisation), `Clone`, `Debug`, `PartialEq`.
///
/// Generic parameters of the generated methods are named `B`, `X`, `XN`, `L`, `LB`, `LN`,
/// `R` and `Opt`: a width constant or generic with one of those names is an error at its
/// token.
pub use ferroflow_macros::network;

/// Everything a typical program needs, in one `use`.
pub mod prelude {
    /// `MyNet::load("model.safetensors")?`: a model made from a weights file.
    #[cfg(feature = "std")]
    #[cfg_attr(docsrs, doc(cfg(feature = "std")))]
    pub use crate::io::LoadWeights;
    pub use crate::loss::{BinaryCrossEntropy, CrossEntropy, Loss, MeanSquaredError};
    pub use crate::matrix::{from_rows, row};
    pub use crate::network;
    pub use crate::optim::{
        Adam, GradientDescent, LearningRate, Momentum, Optimizer, OptimizerFor, Parameters,
    };
    pub use crate::{
        Activation, Element, Identity, InputScaling, Matrix, Network, Perceptron, Preprocessed,
        Relu, RowVector, Sigmoid, Softmax, Tanh,
    };
    pub use crate::{SeedableRng, SeededRng};
}

/// What code generated by [`network!`] names. Not part of the public API: it may change in
/// any release, and its name changes with it, so that a `ferroflow-macros` of another
/// version fails to build rather than mismatch.
#[doc(hidden)]
pub mod __private_v0_1 {
    pub use crate::Rng;
    pub use ferroflow_core::__private::{Arithmetic, AsBuilt};
    pub use ferroflow_core::__widest_pass as widest_pass;
    pub use ferroflow_core::Dropout;
    pub use ferroflow_core::entry::{AsBatch, Input, Labels, input, labels};
    pub use ferroflow_core::optim::{Optimizer, OptimizerFor, ParamName, Parameters, PerParameter};
    pub use ferroflow_core::perceptron::{unbox, unbox_mut};
    pub use ferroflow_core::{
        BinaryCrossEntropy, Boxed, CrossEntropy, Identity, Loss, Matrix, MeanSquaredError, Network,
        Perceptron, PerceptronGradients, Relu, Sigmoid, Softmax, Tanh,
    };
    pub use ferroflow_core::{Element, matrix, ops, quant, workspace};
}

/// The README's code, compiled and run as a doctest so the front page cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
