//! The natural logarithm, the tutorial's `log`, made safe at zero.

use crate::{Element, Matrix};

/// `x`, or [`Element::MIN_POSITIVE`] where `x` is smaller: what the logarithms of
/// probabilities take, so that a probability of exactly 0 gives a large finite number. A
/// `NaN` stays `NaN` (`max` would hand back the clamp for it, and a diverged network would
/// report a finite loss).
#[inline(always)]
pub(crate) fn clamp_positive<T: Element>(x: T) -> T {
    if x < T::MIN_POSITIVE { T::MIN_POSITIVE } else { x }
}

/// `ln(x)`, element by element, with `x` clamped below at [`Element::MIN_POSITIVE`]: a
/// probability of exactly 0 gives a large negative number (about −87 in `f32`, −708 in
/// `f64`), never `-inf`, so a loss built on it stays finite. A `NaN` gives `NaN`.
pub fn log<T: Element, const R: usize, const C: usize>(x: &Matrix<T, R, C>) -> Matrix<T, R, C> {
    crate::matrix::map(x, |v| clamp_positive(v).ln())
}

/// The backward pass of [`log`]: `grad / x`, with the same clamp as the forward pass.
pub fn log_backward<T: Element, const R: usize, const C: usize>(
    x: &Matrix<T, R, C>,
    grad: &Matrix<T, R, C>,
) -> Matrix<T, R, C> {
    crate::matrix::zip_map(x, grad, |v, g| g / clamp_positive(v))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;

    #[test]
    fn log_of_zero_is_large_and_finite() {
        let y = log(&Matrix::<f32, 1, 2>::new(0.0, 1.0));
        assert!(y[0].is_finite() && y[0] < -80.0, "{y}");
        assert_eq!(y[1], 0.0);
        let g = log_backward(&Matrix::<f32, 1, 1>::new(0.0), &Matrix::<f32, 1, 1>::new(1.0));
        assert!(g[0].is_finite(), "{g}");
    }

    #[test]
    fn backward_matches_finite_differences() {
        for seed in 0..CASES {
            let mut rng = rng(seed);
            let x = uniform::<3, 4>(&mut rng, 0.1, 3.0);
            let w = uniform::<3, 4>(&mut rng, -1.0, 1.0);
            assert_gradient("log", &x, &log_backward(&x, &w), |x| weighted_sum(&w, &log(x)));
        }
    }
}
