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
//! # State shaped like the model
//! An optimizer's per-parameter state mirrors the model: `Adam<T, G>` keeps two values of
//! type `G`, the model's [`Gradients`](Parameters::Gradients) (for a `network!` network
//! `Net`, the generated `NetGradients`), and `Momentum<T, G>` one. `G` is inferred from the
//! model the optimizer trains, so nobody writes a size:
//!
//! ```
//! use ferroflow_core::{Adam, Perceptron, Sigmoid, Parameters};
//! use ferroflow_core::matrix::from_rows;
//! let mut layer = Perceptron::<f64, 2, 1, Sigmoid>::from_arrays([[1.0, -1.0]], [0.0]);
//! let x = from_rows([[3.0, 2.0]]);
//! let grads = layer.parameter_gradients(&x, &from_rows([[0.5]]));
//! let mut adam = Adam::new(0.01); // Adam<f64, PerceptronGradients<f64, 2, 1>>
//! layer.apply_gradients(&grads, &mut adam);
//! // Adam's first step moves every weight by η against the sign of its gradient.
//! assert!((layer.weights[(0, 0)] - (1.0 - 0.01)).abs() < 1e-9);
//! ```
//!
//! The same works in generic code (`fn fit<N: Network<f32, I, O>>` builds its `Adam`
//! with `Adam::new`) and for a computational graph's variables
//! ([`Minimize::minimize`](crate::graph::Minimize::minimize)). An optimizer made for one
//! model cannot train a model of another shape: [`OptimizerFor`] ties it to the model's
//! gradients type, and a mismatch is a compile error naming both. (Two models of the same
//! type could share one; give each its own.) The state is stored as the model's gradients
//! are ([`PerParameter`]): inline without `alloc`, with a large layer's share on the heap
//! with it, so that Adam's 200 000 values for a 784 → 128 → 10 network do not land on a
//! 2 MiB test-thread stack.
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
pub use state::PerParameter;

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
    /// The gradients: a value with the same shape as the parameters. Optimizers keep their
    /// per-parameter state as values of this type too.
    type Gradients: PerParameter<T>;
    /// The number of trainable scalars: the length of [`Gradients`](Parameters::Gradients),
    /// which sizes optimizer state. Leave it to this default.
    const PARAM_COUNT: usize = <Self::Gradients as PerParameter<T>>::LEN;

    /// Whether the model's constructor from its parts (a network's `new`,
    /// `Perceptron::from_arrays`) is a `const fn`, so that exported weights can build it in a
    /// `const` item (`io::to_rust_source`). `network!` makes it not `const` when a layer
    /// lives on the heap (`perceptron::Boxed`).
    const CONST_CONSTRUCTOR: bool = true;

    /// Calls `f` with each parameter tensor, in a fixed order. Weight tensors are listed
    /// in PyTorch's `nn.Linear` layout (`[out][in]`, row-major).
    fn for_each_param(&self, f: &mut impl FnMut(ParamName<'_>, &[T]));

    /// Calls `f` with each parameter tensor, mutably, in the order of
    /// [`for_each_param`](Parameters::for_each_param).
    fn for_each_param_mut(&mut self, f: &mut impl FnMut(ParamName<'_>, &mut [T]));

    /// Whether every parameter is a finite number: `false` once training has diverged
    /// (a `NaN` or an infinity in any weight or bias). What a training loop checks after a
    /// step, where a panic is not an option (`no_std` firmware): it allocates nothing.
    fn all_finite(&self) -> bool {
        let mut finite = true;
        self.for_each_param(&mut |_, values| finite &= all_finite(values));
        finite
    }

    /// Hands every parameter tensor and its gradient to `optimizer`; `offset` is the
    /// position of the first scalar in the flat list of all parameters (of the model that
    /// this one is a part of, as a layer is of a network).
    fn apply_gradients_at<O: Optimizer<T>>(
        &mut self,
        gradients: &Self::Gradients,
        optimizer: &mut O,
        offset: usize,
    );

    /// One optimizer step: updates every parameter from its gradient. The optimizer must
    /// have been made for this model ([`OptimizerFor`]); `Adam::new(rate)` and
    /// `Momentum::new(..)` are, when first used here.
    fn apply_gradients<O: OptimizerFor<T, Self::Gradients>>(
        &mut self,
        gradients: &Self::Gradients,
        optimizer: &mut O,
    ) {
        optimizer.begin_step();
        self.apply_gradients_at(gradients, optimizer, 0);
    }
}

/// Whether every value is finite. A `fold` with `&`, not `all`: `all` stops at the first
/// non-finite value, a branch per value that keeps the loop from vectorising, and a
/// diverged network is the rare case.
fn all_finite<T: Element>(values: &[T]) -> bool {
    values.iter().fold(true, |finite, &v| finite & v.is_finite())
}

/// An update rule: turns one tensor's gradient into a change of its values.
///
/// The contract, for whoever drives an optimizer (a network's
/// [`apply_gradients`](Parameters::apply_gradients), a computational graph updating its
/// variables, a hand-written loop): call [`begin_step`](Optimizer::begin_step) once per
/// step, then [`update`](Optimizer::update) once for each tensor, giving every scalar of
/// the model its own fixed position (`offset + i`) that stays the same from step to step:
/// its position in the flat order of the model's [`PerParameter`] gradients. Optimizers
/// with per-parameter state keep it at that position.
///
/// An optimizer of your own also says which models it fits, by implementing
/// [`OptimizerFor`]: for every model if it keeps no state
/// (`impl<G> OptimizerFor<f32, G> for MyRule {}`), for models whose gradients are its
/// state's type if it does. The entry points that update a whole model ask for that.
pub trait Optimizer<T: Element> {
    /// Called once before the tensors of one step are updated (Adam counts steps here).
    fn begin_step(&mut self) {}

    /// Updates `params` in place from `gradients` (same length). `offset` is the position of
    /// `params[0]` in the flat list of all parameters, so an optimizer with per-parameter
    /// state knows which state belongs to which value.
    fn update(&mut self, offset: usize, params: &mut [T], gradients: &[T]);

    /// This step's optimizer for the tensor at flat positions `offset..offset + len`, cut
    /// in two at position `at`, handed to `both`, so that two threads can update that
    /// tensor at once: the first part takes the positions before `at`, the second those
    /// from `at` on, each with its own share of the per-parameter state. Returns whether
    /// it split (and called `both`). Called after [`begin_step`](Optimizer::begin_step).
    ///
    /// The parts are made on this call's stack and lent to `both`, so a split step
    /// allocates nothing. With the `parallel` feature, a large layer's weight update is
    /// split so, half of its units on each core. The default, `false`, keeps every update
    /// on one thread: an optimizer whose update of one value reads another's state (none
    /// of ferroflow's) must keep it.
    fn split_at(
        &mut self,
        offset: usize,
        len: usize,
        at: usize,
        both: &mut dyn FnMut(&mut Part<'_, T>, &mut Part<'_, T>),
    ) -> bool {
        let _ = (offset, len, at, both);
        false
    }
}

/// An [`Optimizer`] that fits a model whose gradients are of type `G`: it keeps no
/// per-parameter state ([`GradientDescent`]), or keeps it in values of type `G`
/// ([`Momentum<T, G>`](Momentum), [`Adam<T, G>`](Adam)).
///
/// Every entry point that updates a whole model (`train_step`, `apply_gradients`, a
/// graph's `minimize`, the trainer) asks for it, so an optimizer made for one model cannot
/// update another, and `Adam::new(rate)` learns its `G` from the model it is given.
#[diagnostic::on_unimplemented(
    message = "`{Self}` keeps its state in the shape of another model than this one, whose gradients are `{G}`",
    label = "an optimizer made for a model of another shape",
    note = "make one optimizer per model: `Adam::new(rate)` takes its shape from the model it first trains"
)]
pub trait OptimizerFor<T: Element, G>: Optimizer<T> {}

/// `Self` is `S`: how an optimizer with state says that it fits the model whose gradients
/// are its state's type (`impl<T, G: SameModel<S>, S> OptimizerFor<T, G> for Adam<T, S>`).
pub trait SameModel<S> {}

impl<X> SameModel<X> for X {}

/// One of the two parts of a split optimizer ([`Optimizer::split_at`]), which another
/// thread may drive.
pub type Part<'a, T> = dyn Optimizer<T> + Send + 'a;

/// An optimizer whose step size can be read and changed: what a learning-rate
/// [`Schedule`] needs.
pub trait LearningRate<T: Element> {
    /// The current step size `η`.
    fn learning_rate(&self) -> T;
    /// Sets the step size `η` for the steps that follow; any state is kept.
    fn set_learning_rate(&mut self, learning_rate: T);
}
