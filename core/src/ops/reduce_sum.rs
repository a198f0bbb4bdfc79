//! Sums, the tutorial's `reduce_sum`: of everything, down the rows (axis 0, one value per
//! column) or across the columns (axis 1, one value per row).

use crate::{Element, Matrix, RowVector};

/// The sum of every element.
pub fn reduce_sum<T: Element, const R: usize, const C: usize>(x: &Matrix<T, R, C>) -> T {
    x.iter().fold(T::ZERO, |s, &v| s + v)
}

/// The backward pass of [`reduce_sum`]: every element contributed once, so each receives
/// the scalar gradient.
pub fn reduce_sum_backward<T: Element, const R: usize, const C: usize>(grad: T) -> Matrix<T, R, C> {
    Matrix::from_element(grad)
}

/// The sum over axis 0 (down each column): `(R × C) → (1 × C)`, as `reduce_sum(x, axis=0)`.
/// Over a batch this sums the samples.
pub fn reduce_sum_axis0<T: Element, const R: usize, const C: usize>(
    x: &Matrix<T, R, C>,
) -> RowVector<T, C> {
    let mut out = crate::matrix::zeros::<T, 1, C>();
    // Over nalgebra's column storage, so that no index or length check (a panic path the
    // no-panic proof of the training step would find) is left to the optimiser.
    for (o, column) in out.iter_mut().zip(&x.data.0) {
        *o = column.iter().fold(T::ZERO, |s, &v| s + v);
    }
    out
}

/// The backward pass of [`reduce_sum_axis0`]: each column's gradient is copied down its rows.
pub fn reduce_sum_axis0_backward<T: Element, const R: usize, const C: usize>(
    grad: &RowVector<T, C>,
) -> Matrix<T, R, C> {
    Matrix::from_fn(|_, c| grad[c])
}

/// The sum over axis 1 (across each row): `(R × C) → (R × 1)`, as `reduce_sum(x, axis=1)`.
/// Over a batch this gives one value per sample.
pub fn reduce_sum_axis1<T: Element, const R: usize, const C: usize>(
    x: &Matrix<T, R, C>,
) -> Matrix<T, R, 1> {
    let mut out = crate::matrix::zeros::<T, R, 1>();
    for column in x.column_iter() {
        for (o, &v) in out.iter_mut().zip(column.iter()) {
            *o += v;
        }
    }
    out
}

/// The backward pass of [`reduce_sum_axis1`]: each row's gradient is copied across its
/// columns.
pub fn reduce_sum_axis1_backward<T: Element, const R: usize, const C: usize>(
    grad: &Matrix<T, R, 1>,
) -> Matrix<T, R, C> {
    Matrix::from_fn(|r, _| grad[r])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matrix::from_rows;
    use crate::testing::*;

    #[test]
    fn sums_along_the_named_axis() {
        let x: Matrix<f64, 2, 3> = from_rows([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]);
        assert_eq!(reduce_sum(&x), 21.0);
        assert_eq!(reduce_sum_axis0(&x), from_rows([[5.0, 7.0, 9.0]]));
        assert_eq!(reduce_sum_axis1(&x), from_rows([[6.0], [15.0]]));
    }

    #[test]
    fn backward_matches_finite_differences() {
        for seed in 0..CASES {
            let mut rng = rng(seed);
            let x = uniform::<3, 4>(&mut rng, -2.0, 2.0);
            let g: f64 = uniform::<1, 1>(&mut rng, -1.0, 1.0)[0];
            assert_gradient("reduce_sum", &x, &reduce_sum_backward(g), |x| g * reduce_sum(x));
            let w0 = uniform::<1, 4>(&mut rng, -1.0, 1.0);
            assert_gradient("reduce_sum axis 0", &x, &reduce_sum_axis0_backward(&w0), |x| {
                weighted_sum(&w0, &reduce_sum_axis0(x))
            });
            let w1 = uniform::<3, 1>(&mut rng, -1.0, 1.0);
            assert_gradient("reduce_sum axis 1", &x, &reduce_sum_axis1_backward(&w1), |x| {
                weighted_sum(&w1, &reduce_sum_axis1(x))
            });
        }
    }
}
