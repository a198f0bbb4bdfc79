//! Concatenation of batches along their columns: `[a | b]`, and its backward pass, the
//! columns of the gradient that belong to each part.
//!
//! A matrix is stored column by column, so a block of columns is one contiguous run of
//! values: placing a part and taking it back are single copies.

use crate::{Element, Matrix};

/// Writes `part` into columns `AT..AT + W` of `out`: one part of a concatenation.
///
/// ```
/// use ferroflow_core::matrix::from_rows;
/// use ferroflow_core::ops::concat::place;
/// use ferroflow_core::Matrix;
/// let mut joined = Matrix::<f64, 2, 3>::zeros();
/// place::<0, _, 2, 2, 3>(&mut joined, &from_rows([[1.0, 2.0], [4.0, 5.0]]));
/// place::<2, _, 2, 1, 3>(&mut joined, &from_rows([[3.0], [6.0]]));
/// assert_eq!(joined, from_rows([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]));
/// ```
#[inline]
pub fn place<const AT: usize, T: Element, const B: usize, const W: usize, const N: usize>(
    out: &mut Matrix<T, B, N>,
    part: &Matrix<T, B, W>,
) {
    const { assert!(AT + W <= N, "the part's columns reach past the concatenation's") };
    if let Some(columns) = out.data.0.get_mut(AT..AT + W) {
        columns.copy_from_slice(&part.data.0);
    }
}

/// Columns `AT..AT + W` of `m`: one part of a concatenation, and the gradient of that part
/// given the concatenation's.
#[inline]
pub fn columns<const AT: usize, const W: usize, T: Element, const B: usize, const N: usize>(
    m: &Matrix<T, B, N>,
) -> Matrix<T, B, W> {
    const { assert!(AT + W <= N, "the columns reach past the matrix's") };
    let mut part = crate::matrix::zeros::<T, B, W>();
    if let Some(columns) = m.data.0.get(AT..AT + W) {
        part.data.0.copy_from_slice(columns);
    }
    part
}

/// [`columns`] written into `out`: an input's block of a network's batch.
#[inline]
pub fn columns_into<const AT: usize, const W: usize, T: Element, const B: usize, const N: usize>(
    m: &Matrix<T, B, N>,
    out: &mut Matrix<T, B, W>,
) {
    const { assert!(AT + W <= N, "the columns reach past the matrix's") };
    if let Some(columns) = m.data.0.get(AT..AT + W) {
        out.data.0.copy_from_slice(columns);
    }
}

/// `out += columns::<AT, W>(m)`: a concatenation's gradient sent to one of its parts.
#[inline]
pub fn add_columns<const AT: usize, const W: usize, T: Element, const B: usize, const N: usize>(
    m: &Matrix<T, B, N>,
    out: &mut Matrix<T, B, W>,
) {
    const { assert!(AT + W <= N, "the columns reach past the matrix's") };
    if let Some(columns) = m.data.0.get(AT..AT + W) {
        for (o, c) in out.data.0.iter_mut().zip(columns) {
            for (o, &v) in o.iter_mut().zip(c) {
                *o += v;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;

    #[test]
    fn columns_take_back_what_place_wrote() {
        let mut rng = rng(1);
        let a = uniform::<4, 3>(&mut rng, -1.0, 1.0);
        let b = uniform::<4, 2>(&mut rng, -1.0, 1.0);
        let mut joined = Matrix::<f64, 4, 5>::zeros();
        place::<0, _, 4, 3, 5>(&mut joined, &a);
        place::<3, _, 4, 2, 5>(&mut joined, &b);
        for r in 0..4 {
            for c in 0..5 {
                let expected = if c < 3 { a[(r, c)] } else { b[(r, c - 3)] };
                assert_eq!(joined[(r, c)], expected, "({r}, {c})");
            }
        }
        assert_eq!(columns::<0, 3, _, 4, 5>(&joined), a);
        assert_eq!(columns::<3, 2, _, 4, 5>(&joined), b);
    }

    #[test]
    fn the_gradient_of_a_part_is_its_columns_of_the_gradient() {
        // L = Σ w ⊙ [a | b]: ∂L/∂a is the first columns of w, checked by finite differences.
        let mut rng = rng(2);
        let a = uniform::<3, 2>(&mut rng, -1.0, 1.0);
        let b = uniform::<3, 4>(&mut rng, -1.0, 1.0);
        let w = uniform::<3, 6>(&mut rng, -1.0, 1.0);
        let loss = |a: &Matrix<f64, 3, 2>, b: &Matrix<f64, 3, 4>| {
            let mut joined = Matrix::<f64, 3, 6>::zeros();
            place::<0, _, 3, 2, 6>(&mut joined, a);
            place::<2, _, 3, 4, 6>(&mut joined, b);
            weighted_sum(&w, &joined)
        };
        assert_gradient("concat a", &a, &columns::<0, 2, _, 3, 6>(&w), |a| loss(a, &b));
        assert_gradient("concat b", &b, &columns::<2, 4, _, 3, 6>(&w), |b| loss(&a, b));
    }
}
