//! Cross-entropy after a softmax, the tutorial's `J = −Σ c log p`, fused so its gradient is
//! `p − y`.

use super::Loss;
use crate::{Element, Matrix, Softmax};

/// The cross-entropy between the predicted distributions `p` (a softmax output) and the
/// targets `y` (one-hot rows, or any rows that sum to 1): `−(1/B) Σ_b Σ_i y_bi ln p_bi`.
///
/// A probability of exactly 0 for the true class gives a large finite loss (about 87 in
/// `f32`, 708 in `f64`): the logarithm is clamped at the smallest normal number. A `NaN`
/// in `p` or `y` makes the loss `NaN`, so a diverged network cannot report a finite loss.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CrossEntropy;

impl Loss<Softmax> for CrossEntropy {
    const NAME: &'static str = "cross-entropy";

    #[inline]
    fn loss<T: Element, const B: usize, const N: usize>(
        p: &Matrix<T, B, N>,
        y: &Matrix<T, B, N>,
    ) -> T {
        let mut total = T::ZERO;
        for (&p, &y) in p.iter().zip(y.iter()) {
            // Skipping zero targets avoids 0 · ln(0) and saves the logarithm.
            if y != T::ZERO {
                total -= y * super::clamped_ln(p);
            }
        }
        total / T::from_usize(B)
    }

    fn loss_and_gradient<T: Element, const B: usize, const N: usize>(
        p: &Matrix<T, B, N>,
        y: &Matrix<T, B, N>,
    ) -> (T, Matrix<T, B, N>) {
        let scale = T::ONE / T::from_usize(B);
        let gradient = crate::matrix::zip_map(p, y, |p, y| (p - y) * scale);
        (Self::loss(p, y), gradient)
    }

    #[inline]
    fn loss_and_gradient_into<T: Element, const B: usize, const N: usize>(
        p: &Matrix<T, B, N>,
        y: &Matrix<T, B, N>,
        grad: &mut Matrix<T, B, N>,
    ) -> T {
        super::scaled_difference(p, y, T::ONE / T::from_usize(B), grad);
        Self::loss(p, y)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matrix::from_rows;
    use crate::ops::{softmax, softmax_backward};
    use crate::testing::*;

    #[test]
    fn matches_the_definition() {
        let p: Matrix<f64, 2, 3> = from_rows([[0.2, 0.3, 0.5], [0.7, 0.2, 0.1]]);
        let y: Matrix<f64, 2, 3> = from_rows([[0.0, 0.0, 1.0], [0.0, 1.0, 0.0]]);
        let expected = -(0.5f64.ln() + 0.2f64.ln()) / 2.0;
        assert!((CrossEntropy::loss(&p, &y) - expected).abs() < 1e-15);
    }

    #[test]
    fn zero_probability_for_the_true_class_is_large_and_finite() {
        let p: Matrix<f32, 1, 2> = from_rows([[1.0, 0.0]]);
        let y: Matrix<f32, 1, 2> = from_rows([[0.0, 1.0]]);
        let loss = CrossEntropy::loss(&p, &y);
        assert!(loss.is_finite() && loss > 80.0, "{loss}");
        // The same through softmax with logits of ±1e4.
        let z: Matrix<f32, 1, 2> = from_rows([[1e4, -1e4]]);
        let (loss, g) = CrossEntropy::loss_and_gradient(&softmax(&z), &y);
        assert!(loss.is_finite() && loss > 80.0, "{loss}");
        assert_eq!(g, from_rows([[1.0, -1.0]]));
    }

    #[test]
    fn a_nan_anywhere_makes_the_loss_nan() {
        let y: Matrix<f32, 2, 2> = from_rows([[0.0, 1.0], [1.0, 0.0]]);
        // One sample's probabilities NaN (as softmax gives for a NaN feature), the other fine.
        let p: Matrix<f32, 2, 2> = from_rows([[f32::NAN, f32::NAN], [0.9, 0.1]]);
        assert!(CrossEntropy::loss(&p, &y).is_nan());
        let p: Matrix<f32, 2, 2> = from_rows([[0.5, 0.5], [0.9, 0.1]]);
        let y_nan: Matrix<f32, 2, 2> = from_rows([[0.0, f32::NAN], [1.0, 0.0]]);
        assert!(CrossEntropy::loss(&p, &y_nan).is_nan());
        // A finite batch still gives the finite, clamped loss.
        assert!(CrossEntropy::loss(&p, &y).is_finite());
    }

    #[test]
    fn fused_gradient_matches_finite_differences() {
        for seed in 0..CASES {
            let mut rng = rng(seed);
            let z = uniform::<4, 3>(&mut rng, -3.0, 3.0);
            // Soft targets that sum to 1 per row, not only one-hot ones.
            let y = softmax(&uniform::<4, 3>(&mut rng, -2.0, 2.0));
            let (_, g) = CrossEntropy::loss_and_gradient(&softmax(&z), &y);
            assert_gradient("cross-entropy ∘ softmax", &z, &g, |z| {
                CrossEntropy::loss(&softmax(z), &y)
            });
            // The fused gradient equals the unfused chain through softmax's Jacobian.
            let p = softmax(&z);
            let grad_p = crate::matrix::zip_map(&y, &p, |y, p| -y / p / 4.0);
            assert!((softmax_backward(&p, &grad_p) - g).abs().max() < 1e-12);
        }
    }
}
