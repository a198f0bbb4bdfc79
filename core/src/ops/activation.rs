//! The activation trait: the non-linearity at the output of a perceptron.

use crate::init::Init;
use crate::{Element, Matrix};
use core::fmt::Debug;

/// A non-linearity applied to a layer's pre-activation `z = x W + b`.
///
/// Every activation of ferroflow can compute its backward pass from its own output `a`
/// alone, so a training forward pass keeps only `a`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an activation",
    label = "expected one of `Sigmoid`, `Tanh`, `Relu`, `Identity`, `Softmax`"
)]
pub trait Activation: Copy + Default + Debug + PartialEq + Send + Sync + 'static {
    /// The activation's name as the tutorial writes it (`"sigmoid"`).
    const NAME: &'static str;
    /// The initialiser that keeps signals at a steady scale through this activation.
    const INIT: Init;

    /// Applies the activation to every sample (row) of a batch.
    fn forward<T: Element, const B: usize, const N: usize>(z: &Matrix<T, B, N>) -> Matrix<T, B, N>;

    /// The gradient with respect to `z`, given the activation's output `a = forward(z)` and
    /// the gradient `grad` with respect to `a`.
    fn backward<T: Element, const B: usize, const N: usize>(
        a: &Matrix<T, B, N>,
        grad: &Matrix<T, B, N>,
    ) -> Matrix<T, B, N>;
}
