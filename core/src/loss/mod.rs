//! Losses: how far a network's output is from the target, with the gradient that starts
//! backpropagation.
//!
//! Every loss is a mean over the batch (and, for the element-wise losses, over outputs),
//! like PyTorch's defaults, so one learning rate works at every batch size.

mod binary_cross_entropy;
mod cross_entropy;
mod mean_squared_error;

pub use binary_cross_entropy::BinaryCrossEntropy;
pub use cross_entropy::CrossEntropy;
pub use mean_squared_error::MeanSquaredError;

use crate::ops::log::clamp_positive;
use crate::{Activation, Element, Matrix};
use core::fmt::Debug;

/// A loss on the output of an activation `A`.
///
/// It hands backpropagation the gradient with respect to the output layer's
/// *pre-activation* `z`, so pairs with a simple joint derivative (softmax with
/// cross-entropy: `p − y`) skip the activation's Jacobian and its round-off.
#[diagnostic::on_unimplemented(
    message = "the loss `{Self}` cannot follow a `{A}` output",
    label = "`{Self}` needs a different output activation",
    note = "pairs that work: `CrossEntropy` after `Softmax`, `BinaryCrossEntropy` after `Sigmoid`, `MeanSquaredError` after any activation"
)]
pub trait Loss<A: Activation>: Copy + Default + Debug + Send + Sync + 'static {
    /// The loss's name (`"cross-entropy"`).
    const NAME: &'static str;

    /// The loss of the outputs `a` (after the activation) against the targets `y`.
    fn loss<T: Element, const B: usize, const N: usize>(
        a: &Matrix<T, B, N>,
        y: &Matrix<T, B, N>,
    ) -> T;

    /// The loss and its gradient with respect to the output layer's pre-activation `z`.
    fn loss_and_gradient<T: Element, const B: usize, const N: usize>(
        a: &Matrix<T, B, N>,
        y: &Matrix<T, B, N>,
    ) -> (T, Matrix<T, B, N>);

    /// [`loss_and_gradient`](Self::loss_and_gradient) writing the gradient into `grad`:
    /// what a network's training step calls, so no batch-sized matrix is returned on the
    /// stack. The default goes through `loss_and_gradient`; ferroflow's losses override it.
    #[inline]
    fn loss_and_gradient_into<T: Element, const B: usize, const N: usize>(
        a: &Matrix<T, B, N>,
        y: &Matrix<T, B, N>,
        grad: &mut Matrix<T, B, N>,
    ) -> T {
        let (loss, gradient) = Self::loss_and_gradient(a, y);
        *grad = gradient;
        loss
    }
}

/// `ln(p)` clamped as the graph's `log` is ([`clamp_positive`]).
#[inline(always)]
fn clamped_ln<T: Element>(p: T) -> T {
    clamp_positive(p).ln()
}

/// `out = (a − y) · scale`, element by element: the gradient of the losses here.
#[inline(always)]
fn scaled_difference<T: Element, const B: usize, const N: usize>(
    a: &Matrix<T, B, N>,
    y: &Matrix<T, B, N>,
    scale: T,
    out: &mut Matrix<T, B, N>,
) {
    for ((o, &a), &y) in out.as_mut_slice().iter_mut().zip(a.as_slice()).zip(y.as_slice()) {
        *o = (a - y) * scale;
    }
}
