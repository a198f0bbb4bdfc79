//! Negation, the tutorial's `negative`.

use crate::{Element, Matrix};

/// `−x`, element by element.
pub fn negative<T: Element, const R: usize, const C: usize>(
    x: &Matrix<T, R, C>,
) -> Matrix<T, R, C> {
    crate::matrix::map(x, |v| -v)
}

/// The backward pass of [`negative`]: `−grad`.
pub fn negative_backward<T: Element, const R: usize, const C: usize>(
    grad: &Matrix<T, R, C>,
) -> Matrix<T, R, C> {
    negative(grad)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;

    #[test]
    fn backward_matches_finite_differences() {
        for seed in 0..CASES {
            let mut rng = rng(seed);
            let x = uniform::<3, 4>(&mut rng, -2.0, 2.0);
            let w = uniform::<3, 4>(&mut rng, -1.0, 1.0);
            assert_gradient("negative", &x, &negative_backward(&w), |x| {
                weighted_sum(&w, &negative(x))
            });
        }
    }
}
