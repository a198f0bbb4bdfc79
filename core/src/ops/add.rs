//! Addition: of two matrices of one shape, and of a bias row broadcast over a batch.

use crate::{Element, Matrix, RowVector};

/// `a + b`, element by element.
pub fn add<T: Element, const R: usize, const C: usize>(
    a: &Matrix<T, R, C>,
    b: &Matrix<T, R, C>,
) -> Matrix<T, R, C> {
    crate::matrix::zip_map(a, b, |x, y| x + y)
}

/// [`add`] written into `out`: what the graph's `add` node calls, so the sum is made
/// where the node keeps its value.
pub fn add_into<T: Element, const R: usize, const C: usize>(
    a: &Matrix<T, R, C>,
    b: &Matrix<T, R, C>,
    out: &mut Matrix<T, R, C>,
) {
    for (o, (&x, &y)) in out.as_mut_slice().iter_mut().zip(a.as_slice().iter().zip(b.as_slice())) {
        *o = x + y;
    }
}

/// The backward pass of [`add`]: both inputs receive the output's gradient unchanged.
pub fn add_backward<T: Element, const R: usize, const C: usize>(
    grad: &Matrix<T, R, C>,
) -> (Matrix<T, R, C>, Matrix<T, R, C>) {
    (*grad, *grad)
}

/// `x + b` where the bias row `b` is added to every sample (row) of the batch `x`: the
/// tutorial's `X W + b`.
pub fn add_bias<T: Element, const B: usize, const N: usize>(
    x: &Matrix<T, B, N>,
    bias: &RowVector<T, N>,
) -> Matrix<T, B, N> {
    let mut out = *x;
    // Over the column storage rather than nalgebra's column views, whose index assertion
    // would be a panic path in inference wherever the view is not inlined.
    for (column, &b) in out.data.0.iter_mut().zip(bias.as_slice()) {
        for v in column.iter_mut() {
            *v += b;
        }
    }
    out
}

/// The backward pass of [`add_bias`]: `x` receives the gradient unchanged; the bias was
/// used by every sample, so its gradient is the sum over the batch.
pub fn add_bias_backward<T: Element, const B: usize, const N: usize>(
    grad: &Matrix<T, B, N>,
) -> (Matrix<T, B, N>, RowVector<T, N>) {
    (*grad, crate::ops::reduce_sum_axis0(grad))
}

/// `m` as a matrix of `C2` columns, where `C2` is `C` written another way: two constants
/// the compiler compares only once it has evaluated them. A copy.
///
/// A `network!` sum whose parts' widths are such constants adds them through this, beside
/// an assertion that they are equal, so that when they differ the assertion is the one
/// error, at the sum.
#[inline]
pub fn as_width<T: Element, const R: usize, const C: usize, const C2: usize>(
    m: &Matrix<T, R, C>,
) -> Matrix<T, R, C2> {
    const { assert!(C == C2, "the widths of a sum's parts differ") };
    let mut out = crate::matrix::zeros::<T, R, C2>();
    for (o, &v) in out.as_mut_slice().iter_mut().zip(m.as_slice()) {
        *o = v;
    }
    out
}

/// `out = m`, for a part of a sum whose width is written as another constant of the same
/// value (the forward pass of a sum starts from its first part).
#[inline]
pub fn assign_as_width<T: Element, const R: usize, const C: usize, const C2: usize>(
    m: &Matrix<T, R, C>,
    out: &mut Matrix<T, R, C2>,
) {
    const { assert!(C == C2, "the widths of a sum's parts differ") };
    out.as_mut_slice().copy_from_slice(m.as_slice());
}

/// `out += m`, for matrices of one shape whose widths may be written as different
/// constants: a part of a sum in the forward pass, and a sum's gradient sent to each part.
#[inline]
pub fn add_as_width<T: Element, const R: usize, const C: usize, const C2: usize>(
    m: &Matrix<T, R, C>,
    out: &mut Matrix<T, R, C2>,
) {
    const { assert!(C == C2, "the widths of a sum's parts differ") };
    for (o, &v) in out.as_mut_slice().iter_mut().zip(m.as_slice()) {
        *o += v;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matrix::{from_rows, row};
    use crate::testing::*;

    #[test]
    fn add_into_writes_the_sum() {
        let (a, b): (Matrix<f64, 2, 2>, Matrix<f64, 2, 2>) =
            (from_rows([[1.0, 2.0], [3.0, 4.0]]), from_rows([[10.0, 20.0], [30.0, 40.0]]));
        let mut out = Matrix::<f64, 2, 2>::repeat(-1.0);
        add_into(&a, &b, &mut out);
        assert_eq!(out, from_rows([[11.0, 22.0], [33.0, 44.0]]));
        assert_eq!(out, add(&a, &b));
    }

    #[test]
    fn bias_is_added_to_every_row() {
        let x: Matrix<f64, 2, 2> = from_rows([[1.0, 2.0], [3.0, 4.0]]);
        assert_eq!(add_bias(&x, &row([10.0, 20.0])), from_rows([[11.0, 22.0], [13.0, 24.0]]));
    }

    #[test]
    fn backward_matches_finite_differences() {
        for seed in 0..CASES {
            let mut rng = rng(seed);
            let a = uniform::<3, 4>(&mut rng, -2.0, 2.0);
            let b = uniform::<3, 4>(&mut rng, -2.0, 2.0);
            let w = uniform::<3, 4>(&mut rng, -1.0, 1.0);
            let (ga, gb) = add_backward(&w);
            assert_gradient("add a", &a, &ga, |a| weighted_sum(&w, &add(a, &b)));
            assert_gradient("add b", &b, &gb, |b| weighted_sum(&w, &add(&a, b)));

            let bias = uniform::<1, 4>(&mut rng, -2.0, 2.0);
            let (gx, gbias) = add_bias_backward(&w);
            assert_gradient("add_bias x", &a, &gx, |x| weighted_sum(&w, &add_bias(x, &bias)));
            assert_gradient("add_bias b", &bias, &gbias, |bias| {
                weighted_sum(&w, &add_bias(&a, bias))
            });
        }
    }
}
