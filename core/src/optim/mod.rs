//! Parameters and optimizers: how gradients become updated weights.
//!
//! Anything with trainable parameters implements [`Parameters`]: it lists its tensors
//! (name, values) in a fixed order, and hands each tensor with its gradient to an
//! [`Optimizer`]. A `network!` network implements it by visiting its layers in order, so
//! optimizers and serialisation work on every network without knowing its shape.

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
pub trait Optimizer<T: Element> {
    /// Called once before the tensors of one step are updated (Adam counts steps here).
    fn begin_step(&mut self) {}

    /// Updates `params` in place from `gradients` (same length). `offset` is the position of
    /// `params[0]` in the flat list of all parameters, so an optimizer with per-parameter
    /// state knows which state belongs to which value.
    fn update(&mut self, offset: usize, params: &mut [T], gradients: &[T]);
}

/// The tutorial's gradient descent: `θ ← θ − η ∇θ`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GradientDescent<T: Element> {
    /// The step size `η`.
    pub learning_rate: T,
}

impl<T: Element> GradientDescent<T> {
    /// Gradient descent with the given learning rate.
    pub const fn new(learning_rate: T) -> Self {
        Self { learning_rate }
    }
}

impl<T: Element> Optimizer<T> for GradientDescent<T> {
    #[inline]
    fn update(&mut self, _offset: usize, params: &mut [T], gradients: &[T]) {
        let rate = self.learning_rate;
        for (p, &g) in params.iter_mut().zip(gradients) {
            *p -= rate * g;
        }
    }
}
