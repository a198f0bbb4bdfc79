//! The identity activation: a linear output, as for regression with squared error.

use crate::init::Init;
use crate::{Activation, Element, Matrix};

/// The identity activation: passes `z` through unchanged.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Identity;

impl Activation for Identity {
    const NAME: &'static str = "identity";
    const INIT: Init = Init::Glorot;

    fn forward<T: Element, const B: usize, const N: usize>(z: &Matrix<T, B, N>) -> Matrix<T, B, N> {
        *z
    }

    fn backward<T: Element, const B: usize, const N: usize>(
        _a: &Matrix<T, B, N>,
        grad: &Matrix<T, B, N>,
    ) -> Matrix<T, B, N> {
        *grad
    }

    #[inline]
    fn forward_in_place<T: Element, const B: usize, const N: usize>(_z: &mut Matrix<T, B, N>) {}

    #[inline]
    fn backward_in_place<T: Element, const B: usize, const N: usize>(
        _a: &Matrix<T, B, N>,
        _grad: &mut Matrix<T, B, N>,
    ) {
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
            let g = Identity::backward(&Identity::forward(&z), &w);
            assert_gradient("identity", &z, &g, |z| weighted_sum(&w, &Identity::forward(z)));
        }
    }
}
