//! Test helpers: seeded random matrices and the central finite-difference gradient check.

use crate::Matrix;
use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};

/// How many random cases each property test draws.
pub const CASES: u64 = 200;

/// A seeded RNG, so a failing case can be replayed from its seed.
pub fn rng(seed: u64) -> Xoshiro256PlusPlus {
    Xoshiro256PlusPlus::seed_from_u64(seed)
}

/// A matrix of values drawn uniformly from `[lo, hi)`.
pub fn uniform<const R: usize, const C: usize>(
    rng: &mut Xoshiro256PlusPlus,
    lo: f64,
    hi: f64,
) -> Matrix<f64, R, C> {
    Matrix::from_fn(|_, _| rng.random_range(lo..hi))
}

/// Asserts that `analytic` is the gradient of `f` at `x`, comparing every element with a
/// central difference. The error is relative, with a floor of 1e-2 on the denominator so
/// that gradients near zero are compared absolutely.
pub fn assert_gradient<const R: usize, const C: usize>(
    what: &str,
    x: &Matrix<f64, R, C>,
    analytic: &Matrix<f64, R, C>,
    f: impl Fn(&Matrix<f64, R, C>) -> f64,
) {
    let h = 1e-6;
    for i in 0..R * C {
        let mut plus = *x;
        let mut minus = *x;
        plus.as_mut_slice()[i] += h;
        minus.as_mut_slice()[i] -= h;
        let numeric = (f(&plus) - f(&minus)) / (2.0 * h);
        let exact = analytic.as_slice()[i];
        let error = (numeric - exact).abs() / numeric.abs().max(exact.abs()).max(1e-2);
        assert!(
            error < 1e-6,
            "{what}: element {i}: backward gives {exact}, finite differences {numeric} \
             (relative error {error:e})"
        );
    }
}

/// `Σ w ⊙ y`: a scalar loss whose gradient with respect to `y` is `w`. Checking a backward
/// pass with random `w` checks its full vector–Jacobian product.
pub fn weighted_sum<const R: usize, const C: usize>(
    w: &Matrix<f64, R, C>,
    y: &Matrix<f64, R, C>,
) -> f64 {
    w.component_mul(y).sum()
}
