//! Mean squared error, for regression outputs.

use super::Loss;
use crate::{Activation, Element, Matrix};

/// The mean squared error `mean((a − y)²)` over every sample and output, as PyTorch's
/// `MSELoss`. It follows any activation; usually the identity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MeanSquaredError;

impl<A: Activation> Loss<A> for MeanSquaredError {
    const NAME: &'static str = "mean squared error";

    #[inline]
    fn loss<T: Element, const B: usize, const N: usize>(
        a: &Matrix<T, B, N>,
        y: &Matrix<T, B, N>,
    ) -> T {
        let mut total = T::ZERO;
        for (&a, &y) in a.iter().zip(y.iter()) {
            total += (a - y) * (a - y);
        }
        total / T::from_usize(B * N)
    }

    fn loss_and_gradient<T: Element, const B: usize, const N: usize>(
        a: &Matrix<T, B, N>,
        y: &Matrix<T, B, N>,
    ) -> (T, Matrix<T, B, N>) {
        let scale = T::from_f64(2.0) / T::from_usize(B * N);
        let grad_a = crate::matrix::zip_map(a, y, |a, y| (a - y) * scale);
        (<Self as Loss<A>>::loss(a, y), A::backward(a, &grad_a))
    }

    #[inline]
    fn loss_and_gradient_into<T: Element, const B: usize, const N: usize>(
        a: &Matrix<T, B, N>,
        y: &Matrix<T, B, N>,
        grad: &mut Matrix<T, B, N>,
    ) -> T {
        super::scaled_difference(a, y, T::from_f64(2.0) / T::from_usize(B * N), grad);
        A::backward_in_place(a, grad);
        <Self as Loss<A>>::loss(a, y)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use crate::{Identity, Tanh};

    #[test]
    fn gradient_matches_finite_differences() {
        for seed in 0..CASES {
            let mut rng = rng(seed);
            let z = uniform::<4, 3>(&mut rng, -2.0, 2.0);
            let y = uniform::<4, 3>(&mut rng, -1.0, 1.0);
            let (_, g) = <MeanSquaredError as Loss<Identity>>::loss_and_gradient(&z, &y);
            assert_gradient("mse ∘ identity", &z, &g, |z| {
                <MeanSquaredError as Loss<Identity>>::loss(z, &y)
            });
            let (_, g) =
                <MeanSquaredError as Loss<Tanh>>::loss_and_gradient(&Tanh::forward(&z), &y);
            assert_gradient("mse ∘ tanh", &z, &g, |z| {
                <MeanSquaredError as Loss<Tanh>>::loss(&Tanh::forward(z), &y)
            });
        }
    }

    #[test]
    fn known_value() {
        let a = Matrix::<f64, 1, 2>::new(1.0, 3.0);
        let y = Matrix::<f64, 1, 2>::new(0.0, 1.0);
        assert_eq!(<MeanSquaredError as Loss<Identity>>::loss(&a, &y), 2.5);
    }
}
