//! Parameters and optimizers: how gradients become updated weights.
//!
//! Anything with trainable parameters implements [`Parameters`]: it lists its tensors
//! (name, values) in a fixed order, and hands each tensor with its gradient to an
//! [`Optimizer`]. A `network!` network implements it by visiting its layers in order, so
//! optimizers and serialisation work on every network without knowing its shape.
//!
//! # The optimizers
//! - [`GradientDescent`]: the tutorial's `θ ← θ − η ∇θ`. No state.
//! - [`Momentum`]: gradient descent with a velocity (PyTorch's `SGD` with `momentum`,
//!   optionally Nesterov's variant). One value of state per parameter.
//! - [`Adam`]: adaptive moment estimation (PyTorch's `Adam`). Two values per parameter.
//!
//! Per-parameter state is sized at compile time: `Adam<T, P>` and `Momentum<T, P>` hold
//! exactly `P` values per moment, and `P` is the network's parameter count, written
//! `Adam::<f32, { Net::PARAM_COUNT }>::new(..)`. Where that state lives is described at
//! [`StateVector`]: inline without `alloc` (a microcontroller puts it in `.bss` or on its
//! stack), in one heap block of exactly that size with `alloc`, so that the 200 000 values
//! of Adam on a 784 → 128 → 10 network do not land on a 2 MiB test-thread stack.
//!
//! A learning-rate [`Schedule`] changes any optimizer's rate between
//! epochs through the [`LearningRate`] trait.

mod adam;
mod gradient_descent;
mod momentum;
pub mod schedule;
mod state;

pub use adam::Adam;
pub use gradient_descent::GradientDescent;
pub use momentum::Momentum;
pub use schedule::Schedule;
pub use state::StateVector;

use crate::Element;
use core::fmt;

/// The name and shape of one parameter tensor: the layer it belongs to and the tensor's
/// own name, as PyTorch names entries of a state dict (`hidden.weight`, `hidden.bias`),
/// and its shape in PyTorch's layout (`[out, in]` for weights, `[out]` for biases).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParamName<'a> {
    /// The layer's name (the field name in a `network!`), or `""` for a lone layer.
    pub layer: &'a str,
    /// The tensor's name within the layer (`"weight"`, `"bias"`).
    pub tensor: &'a str,
    /// The tensor's shape, outermost dimension first; the values are row-major.
    pub shape: &'a [usize],
}

impl<'a> ParamName<'a> {
    /// The same tensor, named as part of `layer` (used by networks to name their layers'
    /// tensors).
    pub fn in_layer(self, layer: &'a str) -> Self {
        Self { layer, ..self }
    }
}

impl fmt::Display for ParamName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.layer.is_empty() {
            f.write_str(self.tensor)
        } else {
            write!(f, "{}.{}", self.layer, self.tensor)
        }
    }
}

/// Something with trainable parameters and gradients of the same shape.
pub trait Parameters<T: Element> {
    /// The gradients: a value with the same shape as the parameters.
    type Gradients;
    /// The number of trainable scalars.
    const PARAM_COUNT: usize;

    /// Calls `f` with each parameter tensor, in a fixed order. Weight tensors are listed
    /// in PyTorch's `nn.Linear` layout (`[out][in]`, row-major).
    fn for_each_param(&self, f: &mut impl FnMut(ParamName<'_>, &[T]));

    /// Calls `f` with each parameter tensor, mutably, in the order of
    /// [`for_each_param`](Parameters::for_each_param).
    fn for_each_param_mut(&mut self, f: &mut impl FnMut(ParamName<'_>, &mut [T]));

    /// Hands every parameter tensor and its gradient to `optimizer`; `offset` is the
    /// position of the first scalar in the flat list of all parameters.
    fn apply_gradients_at<O: Optimizer<T>>(
        &mut self,
        gradients: &Self::Gradients,
        optimizer: &mut O,
        offset: usize,
    );

    /// One optimizer step: updates every parameter from its gradient.
    fn apply_gradients<O: Optimizer<T>>(&mut self, gradients: &Self::Gradients, optimizer: &mut O) {
        optimizer.begin_step();
        self.apply_gradients_at(gradients, optimizer, 0);
    }
}

/// An update rule: turns one tensor's gradient into a change of its values.
///
/// The contract, for whoever drives an optimizer (a network's
/// [`apply_gradients`](Parameters::apply_gradients), a computational graph updating its
/// variables, a hand-written loop): call [`begin_step`](Optimizer::begin_step) once per
/// step, then [`update`](Optimizer::update) once for each tensor, giving every scalar of
/// the model its own fixed position (`offset + i`) that stays the same from step to step.
/// Optimizers with per-parameter state keep it at that position.
pub trait Optimizer<T: Element> {
    /// Called once before the tensors of one step are updated (Adam counts steps here).
    fn begin_step(&mut self) {}

    /// Updates `params` in place from `gradients` (same length). `offset` is the position of
    /// `params[0]` in the flat list of all parameters, so an optimizer with per-parameter
    /// state knows which state belongs to which value.
    fn update(&mut self, offset: usize, params: &mut [T], gradients: &[T]);

    /// This step's optimizer cut in two at parameter position `at`, so that two threads
    /// can update at once: the first part takes the tensors before `at`, the second those
    /// from `at` on, each with its own share of the per-parameter state. Called after
    /// [`begin_step`](Optimizer::begin_step); the parts live for part of one step.
    ///
    /// With the `parallel` feature, a large layer's update is split so, half of its units
    /// on each core. The default, `None`, keeps every update on one thread: an optimizer
    /// whose update of one value reads another's state (none of ferroflow's) must keep it.
    #[cfg(feature = "alloc")]
    fn split_at(&mut self, at: usize) -> Option<[Part<'_, T>; 2]> {
        let _ = at;
        None
    }
}

/// One of the two parts of a split optimizer ([`Optimizer::split_at`]), which another
/// thread may drive.
#[cfg(feature = "alloc")]
pub type Part<'a, T> = alloc::boxed::Box<dyn Optimizer<T> + Send + 'a>;

/// An optimizer whose step size can be read and changed: what a learning-rate
/// [`Schedule`] needs.
pub trait LearningRate<T: Element> {
    /// The current step size `η`.
    fn learning_rate(&self) -> T;
    /// Sets the step size `η` for the steps that follow; any state is kept.
    fn set_learning_rate(&mut self, learning_rate: T);
}
