//! The hyperbolic tangent.

use crate::init::Init;
use crate::{Activation, Element, Matrix};

/// `tanh(z)`, element by element.
pub fn tanh<T: Element, const R: usize, const C: usize>(z: &Matrix<T, R, C>) -> Matrix<T, R, C> {
    crate::matrix::map(z, Element::tanh)
}

/// The backward pass of [`tanh`] from its output `a`: `grad ⊙ (1 − a²)`.
pub fn tanh_backward<T: Element, const R: usize, const C: usize>(
    a: &Matrix<T, R, C>,
    grad: &Matrix<T, R, C>,
) -> Matrix<T, R, C> {
    crate::matrix::zip_map(a, grad, |a, g| g * (T::ONE - a * a))
}

/// The tanh activation: squashes each value into `(−1, 1)`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tanh;

impl Activation for Tanh {
    const NAME: &'static str = "tanh";
    const INIT: Init = Init::Glorot;

    fn forward<T: Element, const B: usize, const N: usize>(z: &Matrix<T, B, N>) -> Matrix<T, B, N> {
        tanh(z)
    }

    fn backward<T: Element, const B: usize, const N: usize>(
        a: &Matrix<T, B, N>,
        grad: &Matrix<T, B, N>,
    ) -> Matrix<T, B, N> {
        tanh_backward(a, grad)
    }

    #[inline]
    fn forward_in_place<T: Element, const B: usize, const N: usize>(z: &mut Matrix<T, B, N>) {
        crate::ops::activation::map_in_place(z, Element::tanh);
    }

    #[inline]
    fn backward_in_place<T: Element, const B: usize, const N: usize>(
        a: &Matrix<T, B, N>,
        grad: &mut Matrix<T, B, N>,
    ) {
        crate::ops::activation::zip_in_place(a, grad, |a, g| g * (T::ONE - a * a));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;

    #[test]
    fn backward_matches_finite_differences() {
        for seed in 0..CASES {
            let mut rng = rng(seed);
            let z = uniform::<3, 4>(&mut rng, -3.0, 3.0);
            let w = uniform::<3, 4>(&mut rng, -1.0, 1.0);
            let g = Tanh::backward(&Tanh::forward(&z), &w);
            assert_gradient("tanh", &z, &g, |z| weighted_sum(&w, &tanh(z)));
        }
    }
}
