//! The logistic sigmoid `σ(z) = 1 / (1 + e^−z)`, the tutorial's `sigmoid`.

use crate::init::Init;
use crate::kernels::isa::{Arithmetic, AsBuilt};
use crate::{Activation, Element, Matrix};

/// `σ(z)` of one value, computed without overflow for large `|z|`: with `e = e^−|z|` (at
/// most 1), `σ = 1 / (1 + e)` for `z ≥ 0` and `e / (1 + e)` below, which keeps full
/// relative precision for very negative `z`. Both sides are computed and one is selected,
/// so a loop of them vectorises ([`Element::fast_exp`]).
#[inline(always)]
pub fn sigmoid_scalar<T: Element>(z: T) -> T {
    sigmoid_with(
        z,
        #[inline(always)]
        |x| x.fast_exp(),
    )
}

/// [`sigmoid_scalar`] with the `exp` given (the kernels' variants pass theirs).
#[inline(always)]
pub(crate) fn sigmoid_with<T: Element>(z: T, exp: impl Fn(T) -> T) -> T {
    let negative = z < T::ZERO;
    let magnitude = if negative { -z } else { z };
    let e = exp(-magnitude);
    let s = T::ONE / (T::ONE + e);
    if negative { e * s } else { s }
}

/// `σ(z)`, element by element. A matrix of 256 values or more runs in the kernels' variant
/// for the processor ([`kernels`](crate::kernels)), whose `exp` fuses its multiply-adds where
/// the processor has FMA: its last bits can differ from a processor without.
pub fn sigmoid<T: Element, const R: usize, const C: usize>(z: &Matrix<T, R, C>) -> Matrix<T, R, C> {
    let mut out = *z;
    crate::kernels::elementwise::sigmoid::<AsBuilt, T, R, C>(&mut out.data.0);
    out
}

/// The backward pass of [`sigmoid`] from its output `a`: `grad ⊙ a ⊙ (1 − a)`.
pub fn sigmoid_backward<T: Element, const R: usize, const C: usize>(
    a: &Matrix<T, R, C>,
    grad: &Matrix<T, R, C>,
) -> Matrix<T, R, C> {
    crate::matrix::zip_map(a, grad, |a, g| g * a * (T::ONE - a))
}

/// The sigmoid activation: squashes each value into `(0, 1)`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sigmoid;

impl Activation for Sigmoid {
    const NAME: &'static str = "sigmoid";
    const INIT: Init = Init::Glorot;

    fn forward<T: Element, const B: usize, const N: usize>(z: &Matrix<T, B, N>) -> Matrix<T, B, N> {
        sigmoid(z)
    }

    fn backward<T: Element, const B: usize, const N: usize>(
        a: &Matrix<T, B, N>,
        grad: &Matrix<T, B, N>,
    ) -> Matrix<T, B, N> {
        sigmoid_backward(a, grad)
    }

    #[inline]
    fn forward_in_place<T: Element, const B: usize, const N: usize>(z: &mut Matrix<T, B, N>) {
        crate::kernels::elementwise::sigmoid::<AsBuilt, T, B, N>(&mut z.data.0);
    }

    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn __forward_in_place_as<M: Arithmetic, T: Element, const B: usize, const N: usize>(
        z: &mut Matrix<T, B, N>,
    ) {
        crate::kernels::elementwise::sigmoid::<M, T, B, N>(&mut z.data.0);
    }

    #[inline]
    fn backward_in_place<T: Element, const B: usize, const N: usize>(
        a: &Matrix<T, B, N>,
        grad: &mut Matrix<T, B, N>,
    ) {
        crate::ops::activation::zip_in_place(a, grad, |a, g| g * a * (T::ONE - a));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matrix::from_rows;
    use crate::testing::*;

    #[test]
    fn tutorial_perceptron_on_the_point_3_2() {
        // The tutorial's sigmoid perceptron: w = (1, 1), b = 0, x = (3, 2) gives σ(5).
        let x: Matrix<f64, 1, 2> = from_rows([[3.0, 2.0]]);
        let w: Matrix<f64, 2, 1> = from_rows([[1.0], [1.0]]);
        let z = crate::ops::matmul(&x, &w);
        let p = sigmoid(&z)[0];
        assert!((p - 0.993307149076).abs() < 1e-12, "{p}");
    }

    #[test]
    fn saturates_without_overflow() {
        let y = sigmoid(&Matrix::<f32, 1, 2>::new(-1e4, 1e4));
        assert_eq!((y[0], y[1]), (0.0, 1.0));
    }

    #[test]
    fn backward_matches_finite_differences() {
        for seed in 0..CASES {
            let mut rng = rng(seed);
            let z = uniform::<3, 4>(&mut rng, -4.0, 4.0);
            let w = uniform::<3, 4>(&mut rng, -1.0, 1.0);
            let g = Sigmoid::backward(&Sigmoid::forward(&z), &w);
            assert_gradient("sigmoid", &z, &g, |z| weighted_sum(&w, &sigmoid(z)));
        }
    }
}
