//! Binary cross-entropy after a sigmoid, fused so its gradient is `a − y`.

use super::Loss;
use crate::{Element, Matrix, Sigmoid};

/// The binary cross-entropy of sigmoid outputs `a` against targets `y` in `[0, 1]`:
/// `−mean(y ln a + (1 − y) ln(1 − a))` over every sample and output, as PyTorch's
/// `BCELoss`. Logarithms are clamped, so saturated outputs give large finite losses; a `NaN` input
/// gives a `NaN` loss.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BinaryCrossEntropy;

impl Loss<Sigmoid> for BinaryCrossEntropy {
    const NAME: &'static str = "binary cross-entropy";

    #[inline]
    fn loss<T: Element, const B: usize, const N: usize>(
        a: &Matrix<T, B, N>,
        y: &Matrix<T, B, N>,
    ) -> T {
        let mut total = T::ZERO;
        for (&a, &y) in a.iter().zip(y.iter()) {
            let ln_a = super::clamped_ln(a);
            let ln_not_a = super::clamped_ln(T::ONE - a);
            total -= y * ln_a + (T::ONE - y) * ln_not_a;
        }
        total / T::from_usize(B * N)
    }

    fn loss_and_gradient<T: Element, const B: usize, const N: usize>(
        a: &Matrix<T, B, N>,
        y: &Matrix<T, B, N>,
    ) -> (T, Matrix<T, B, N>) {
        let scale = T::ONE / T::from_usize(B * N);
        (Self::loss(a, y), crate::matrix::zip_map(a, y, |a, y| (a - y) * scale))
    }

    #[inline]
    fn loss_and_gradient_into<T: Element, const B: usize, const N: usize>(
        a: &Matrix<T, B, N>,
        y: &Matrix<T, B, N>,
        grad: &mut Matrix<T, B, N>,
    ) -> T {
        super::scaled_difference(a, y, T::ONE / T::from_usize(B * N), grad);
        Self::loss(a, y)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matrix::from_rows;
    use crate::ops::sigmoid;
    use crate::testing::*;

    #[test]
    fn matches_the_definition_and_stays_finite() {
        let a: Matrix<f64, 1, 2> = from_rows([[0.9, 0.2]]);
        let y: Matrix<f64, 1, 2> = from_rows([[1.0, 0.0]]);
        let expected = -(0.9f64.ln() + 0.8f64.ln()) / 2.0;
        assert!((BinaryCrossEntropy::loss(&a, &y) - expected).abs() < 1e-15);
        let saturated = sigmoid(&Matrix::<f32, 1, 2>::new(1e4, -1e4));
        let loss = BinaryCrossEntropy::loss(&saturated, &Matrix::<f32, 1, 2>::new(0.0, 1.0));
        assert!(loss.is_finite() && loss > 80.0, "{loss}");
    }

    #[test]
    fn a_nan_output_makes_the_loss_nan() {
        let a: Matrix<f32, 2, 1> = from_rows([[f32::NAN], [0.7]]);
        let y: Matrix<f32, 2, 1> = from_rows([[1.0], [0.0]]);
        assert!(BinaryCrossEntropy::loss(&a, &y).is_nan());
    }

    #[test]
    fn fused_gradient_matches_finite_differences() {
        for seed in 0..CASES {
            let mut rng = rng(seed);
            let z = uniform::<4, 3>(&mut rng, -3.0, 3.0);
            let y = uniform::<4, 3>(&mut rng, 0.0, 1.0);
            let (_, g) = BinaryCrossEntropy::loss_and_gradient(&sigmoid(&z), &y);
            assert_gradient("binary cross-entropy ∘ sigmoid", &z, &g, |z| {
                BinaryCrossEntropy::loss(&sigmoid(z), &y)
            });
        }
    }
}
