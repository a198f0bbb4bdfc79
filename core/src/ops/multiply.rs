//! Element-wise multiplication (the Hadamard product), the tutorial's `multiply`.

use crate::{Element, Matrix};

/// `a ⊙ b`, element by element.
pub fn multiply<T: Element, const R: usize, const C: usize>(
    a: &Matrix<T, R, C>,
    b: &Matrix<T, R, C>,
) -> Matrix<T, R, C> {
    crate::matrix::zip_map(a, b, |x, y| x * y)
}

/// The backward pass of [`multiply`]: `(grad ⊙ b, grad ⊙ a)`.
pub fn multiply_backward<T: Element, const R: usize, const C: usize>(
    a: &Matrix<T, R, C>,
    b: &Matrix<T, R, C>,
    grad: &Matrix<T, R, C>,
) -> (Matrix<T, R, C>, Matrix<T, R, C>) {
    (multiply(grad, b), multiply(grad, a))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;

    #[test]
    fn backward_matches_finite_differences() {
        for seed in 0..CASES {
            let mut rng = rng(seed);
            let a = uniform::<3, 4>(&mut rng, -2.0, 2.0);
            let b = uniform::<3, 4>(&mut rng, -2.0, 2.0);
            let w = uniform::<3, 4>(&mut rng, -1.0, 1.0);
            let (ga, gb) = multiply_backward(&a, &b, &w);
            assert_gradient("multiply a", &a, &ga, |a| weighted_sum(&w, &multiply(a, &b)));
            assert_gradient("multiply b", &b, &gb, |b| weighted_sum(&w, &multiply(&a, b)));
        }
    }
}
