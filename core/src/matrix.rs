//! Matrices whose dimensions are const generics, and the batch convention.
//!
//! A batch of `B` samples with `N` features each is a [`Matrix<T, B, N>`]: one sample per
//! row, exactly as the tutorial writes `X W + b`. nalgebra stores matrices column by
//! column; the constructors here take rows, the way people write matrices down.

use crate::Element;
use nalgebra::{ArrayStorage, SMatrix};

/// A matrix of `R` rows and `C` columns of `T`, stored inline (nalgebra's `SMatrix`).
pub type Matrix<T, const R: usize, const C: usize> = SMatrix<T, R, C>;

/// A single row of `N` values: one sample, or a bias broadcast over a batch.
pub type RowVector<T, const N: usize> = SMatrix<T, 1, N>;

/// Builds a matrix from its rows, in a `const` context if need be.
///
/// ```
/// use ferroflow_core::matrix::from_rows;
/// const A: ferroflow_core::Matrix<f32, 2, 3> = from_rows([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]);
/// assert_eq!(A[(1, 0)], 4.0);
/// ```
pub const fn from_rows<T: Element, const R: usize, const C: usize>(
    rows: [[T; C]; R],
) -> Matrix<T, R, C> {
    let mut columns = [[T::ZERO; R]; C];
    let mut r = 0;
    while r < R {
        let mut c = 0;
        while c < C {
            columns[c][r] = rows[r][c];
            c += 1;
        }
        r += 1;
    }
    Matrix::from_array_storage(ArrayStorage(columns))
}

/// Builds a matrix from its columns, in a `const` context if need be.
///
/// This is nalgebra's own storage order, and also PyTorch's `nn.Linear` weight layout for
/// a ferroflow weight matrix `Matrix<T, I, O>`: column `o` holds the `I` input weights of
/// output unit `o`, as row `o` of PyTorch's `[O, I]` weight tensor does.
pub const fn from_columns<T: Element, const R: usize, const C: usize>(
    columns: [[T; R]; C],
) -> Matrix<T, R, C> {
    Matrix::from_array_storage(ArrayStorage(columns))
}

/// A row vector from an array, in a `const` context if need be.
pub const fn row<T: Element, const N: usize>(values: [T; N]) -> RowVector<T, N> {
    let mut columns = [[T::ZERO; 1]; N];
    let mut i = 0;
    while i < N {
        columns[i][0] = values[i];
        i += 1;
    }
    Matrix::from_array_storage(ArrayStorage(columns))
}

/// The values of a row vector as an array.
#[inline(always)]
pub fn row_to_array<T: Element, const N: usize>(row: &RowVector<T, N>) -> [T; N] {
    let mut out = [T::ZERO; N];
    for (o, &v) in out.iter_mut().zip(row.iter()) {
        *o = v;
    }
    out
}

/// A matrix of zeros, in a `const` context if need be.
pub const fn zeros<T: Element, const R: usize, const C: usize>() -> Matrix<T, R, C> {
    Matrix::from_array_storage(ArrayStorage([[T::ZERO; R]; C]))
}

/// Applies `f` to every element.
#[inline(always)]
pub fn map<T: Element, const R: usize, const C: usize>(
    m: &Matrix<T, R, C>,
    mut f: impl FnMut(T) -> T,
) -> Matrix<T, R, C> {
    let mut out = *m;
    for v in out.as_mut_slice() {
        *v = f(*v);
    }
    out
}

/// Combines two matrices of the same shape element by element.
#[inline(always)]
pub fn zip_map<T: Element, const R: usize, const C: usize>(
    a: &Matrix<T, R, C>,
    b: &Matrix<T, R, C>,
    mut f: impl FnMut(T, T) -> T,
) -> Matrix<T, R, C> {
    let mut out = *a;
    for (o, &y) in out.as_mut_slice().iter_mut().zip(b.as_slice()) {
        *o = f(*o, y);
    }
    out
}

/// The index of the largest value in each row: the predicted class of each sample.
pub fn argmax_rows<T: Element, const R: usize, const C: usize>(m: &Matrix<T, R, C>) -> [usize; R] {
    let mut out = [0usize; R];
    // Column by column over the storage, keeping each row's best value: no index to check,
    // so inference has no panic path.
    let mut columns = m.data.0.iter();
    let Some(first) = columns.next() else { return out };
    let mut best = *first;
    for (c, column) in columns.enumerate() {
        for ((b, o), &v) in best.iter_mut().zip(out.iter_mut()).zip(column) {
            if v > *b {
                *b = v;
                *o = c + 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_rows_puts_rows_in_rows() {
        let m: Matrix<f64, 2, 3> = from_rows([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]);
        assert_eq!(m, nalgebra::matrix![1.0, 2.0, 3.0; 4.0, 5.0, 6.0]);
        let c: Matrix<f64, 2, 3> = from_columns([[1.0, 4.0], [2.0, 5.0], [3.0, 6.0]]);
        assert_eq!(m, c);
        assert_eq!(row([7.0f64, 8.0]), nalgebra::matrix![7.0, 8.0]);
    }

    #[test]
    fn argmax_picks_first_largest_per_row() {
        let m: Matrix<f32, 3, 3> = from_rows([[0.1, 0.7, 0.2], [0.5, 0.5, 0.0], [0.0, 0.0, 1.0]]);
        assert_eq!(argmax_rows(&m), [1, 0, 2]);
    }
}
