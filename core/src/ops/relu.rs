//! The rectified linear unit `max(0, z)`.

use crate::init::Init;
use crate::{Activation, Element, Matrix};

/// `max(0, z)`, element by element. A `NaN` stays `NaN`, as in PyTorch: a ReLU that
/// turned it into 0 would hide a diverged layer from the loss.
pub fn relu<T: Element, const R: usize, const C: usize>(z: &Matrix<T, R, C>) -> Matrix<T, R, C> {
    crate::matrix::map(z, rectify)
}

/// One value of [`relu`]: only a number below 0 becomes 0, so `NaN` passes.
#[inline(always)]
fn rectify<T: Element>(v: T) -> T {
    if v < T::ZERO { T::ZERO } else { v }
}

/// The backward pass of [`relu`] from its output `a`: the gradient passes where the unit
/// was active (`a > 0`) and stops elsewhere (the derivative at 0 is taken as 0).
pub fn relu_backward<T: Element, const R: usize, const C: usize>(
    a: &Matrix<T, R, C>,
    grad: &Matrix<T, R, C>,
) -> Matrix<T, R, C> {
    crate::matrix::zip_map(a, grad, |a, g| if a > T::ZERO { g } else { T::ZERO })
}

/// The ReLU activation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Relu;

impl Activation for Relu {
    const NAME: &'static str = "relu";
    const INIT: Init = Init::He;

    fn forward<T: Element, const B: usize, const N: usize>(z: &Matrix<T, B, N>) -> Matrix<T, B, N> {
        relu(z)
    }

    fn backward<T: Element, const B: usize, const N: usize>(
        a: &Matrix<T, B, N>,
        grad: &Matrix<T, B, N>,
    ) -> Matrix<T, B, N> {
        relu_backward(a, grad)
    }

    #[inline]
    fn forward_in_place<T: Element, const B: usize, const N: usize>(z: &mut Matrix<T, B, N>) {
        crate::ops::activation::map_in_place(z, rectify);
    }

    #[inline]
    fn backward_in_place<T: Element, const B: usize, const N: usize>(
        a: &Matrix<T, B, N>,
        grad: &mut Matrix<T, B, N>,
    ) {
        crate::ops::activation::zip_in_place(a, grad, |a, g| if a > T::ZERO { g } else { T::ZERO });
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
            // Keep away from the kink at 0, where finite differences straddle two slopes.
            let z =
                uniform::<3, 4>(&mut rng, -3.0, 3.0).map(|v| if v.abs() < 0.01 { 0.5 } else { v });
            let w = uniform::<3, 4>(&mut rng, -1.0, 1.0);
            let g = Relu::backward(&Relu::forward(&z), &w);
            assert_gradient("relu", &z, &g, |z| weighted_sum(&w, &relu(z)));
        }
    }

    #[test]
    fn nan_passes_and_only_negatives_become_zero() {
        let z = Matrix::<f32, 1, 4>::new(f32::NAN, -2.0, 0.0, 3.0);
        let mut in_place = z;
        Relu::forward_in_place(&mut in_place);
        for a in [relu(&z), in_place] {
            assert!(a[0].is_nan(), "{a}");
            assert_eq!([a[1], a[2], a[3]], [0.0, 0.0, 3.0]);
        }
    }
}
