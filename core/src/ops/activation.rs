//! The activation trait: the non-linearity at the output of a perceptron.

use crate::init::Init;
use crate::kernels::isa::Arithmetic;
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

    /// [`forward`](Self::forward) in place: `z` becomes `activation(z)`. What a network's
    /// passes call, so no batch-sized matrix is returned on the stack; the default goes
    /// through [`forward`](Self::forward), which every activation of ferroflow overrides.
    #[inline]
    fn forward_in_place<T: Element, const B: usize, const N: usize>(z: &mut Matrix<T, B, N>) {
        *z = Self::forward(z);
    }

    /// [`forward_in_place`](Self::forward_in_place) inside a network's pass of arithmetic
    /// `M` (`kernels::isa::Arithmetic`): the sigmoid and the softmax take their short
    /// loops' `exp` in the pass's arithmetic. For the code `network!` generates.
    #[doc(hidden)]
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn __forward_in_place_as<M: Arithmetic, T: Element, const B: usize, const N: usize>(
        z: &mut Matrix<T, B, N>,
    ) {
        Self::forward_in_place(z);
    }

    /// [`backward`](Self::backward) in place: `grad`, the gradient with respect to `a`,
    /// becomes the gradient with respect to `z`. The default goes through
    /// [`backward`](Self::backward), which every activation of ferroflow overrides.
    #[inline]
    fn backward_in_place<T: Element, const B: usize, const N: usize>(
        a: &Matrix<T, B, N>,
        grad: &mut Matrix<T, B, N>,
    ) {
        *grad = Self::backward(a, grad);
    }
}

/// `f` applied to every element of `m`, in place.
#[inline(always)]
pub(crate) fn map_in_place<T: Element, const R: usize, const C: usize>(
    m: &mut Matrix<T, R, C>,
    f: impl Fn(T) -> T,
) {
    for v in m.as_mut_slice() {
        *v = f(*v);
    }
}

/// `grad` replaced by `f(a, grad)` element by element, in place.
#[inline(always)]
pub(crate) fn zip_in_place<T: Element, const R: usize, const C: usize>(
    a: &Matrix<T, R, C>,
    grad: &mut Matrix<T, R, C>,
    f: impl Fn(T, T) -> T,
) {
    for (g, &a) in grad.as_mut_slice().iter_mut().zip(a.as_slice()) {
        *g = f(a, *g);
    }
}
