//! The softmax of each row, the tutorial's `softmax`, with the row maximum subtracted so
//! large logits cannot overflow.

use crate::init::Init;
use crate::kernels::isa::{Arithmetic, AsBuilt};
use crate::{Activation, Element, Matrix};

/// The softmax of each row (sample): `e^{z_i − max} / Σ_j e^{z_j − max}`. Subtracting the
/// row maximum changes nothing mathematically and keeps every exponent at most 0, so
/// logits of ±1e4 give probabilities, not `NaN`.
pub fn softmax<T: Element, const R: usize, const C: usize>(z: &Matrix<T, R, C>) -> Matrix<T, R, C> {
    let mut out = *z;
    softmax_in_place(&mut out);
    out
}

/// [`softmax`] in place. A matrix of 256 values or more runs in the kernels' variant for
/// the processor ([`kernels`](crate::kernels)), whose `exp` fuses its multiply-adds where
/// the processor has FMA: its last bits can differ from a processor without.
pub fn softmax_in_place<T: Element, const R: usize, const C: usize>(out: &mut Matrix<T, R, C>) {
    crate::kernels::elementwise::softmax::<AsBuilt, T, R, C>(&mut out.data.0);
}

/// [`softmax_in_place`] on nalgebra's column storage with the `exp` given (the build's,
/// or a kernel variant's).
#[inline(always)]
pub(crate) fn softmax_columns<T: Element, const R: usize, const C: usize>(
    out: &mut [[T; R]; C],
    exp: impl Fn(T) -> T,
) {
    // Column by column over nalgebra's storage, each row keeping its own maximum and total:
    // no index to check, so inference has no panic path even where nothing is inlined.
    // Each row still sees its columns in order, so the arithmetic is the row-wise one.
    let mut columns = out.iter();
    let Some(first) = columns.next() else { return };
    let mut max = *first;
    for column in columns {
        for (m, &v) in max.iter_mut().zip(column) {
            // A comparison, not `Element::max` (libm's `fmaxf`, a call per value): a NaN
            // that it would skip makes the row NaN all the same.
            if v > *m {
                *m = v;
            }
        }
    }
    let mut total = [T::ZERO; R];
    for column in out.iter_mut() {
        for ((v, t), &m) in column.iter_mut().zip(total.iter_mut()).zip(&max) {
            let e = exp(*v - m);
            *v = e;
            *t += e;
        }
    }
    for column in out.iter_mut() {
        for (v, &t) in column.iter_mut().zip(&total) {
            *v = *v / t;
        }
    }
}

/// The backward pass of [`softmax`] from its output `a`: for each row,
/// `a_i (grad_i − Σ_j grad_j a_j)`, the product with the softmax's Jacobian.
pub fn softmax_backward<T: Element, const R: usize, const C: usize>(
    a: &Matrix<T, R, C>,
    grad: &Matrix<T, R, C>,
) -> Matrix<T, R, C> {
    let mut out = *grad;
    softmax_backward_in_place(a, &mut out);
    out
}

/// [`softmax_backward`] in place: `grad` becomes the gradient with respect to `z`.
pub fn softmax_backward_in_place<T: Element, const R: usize, const C: usize>(
    a: &Matrix<T, R, C>,
    grad: &mut Matrix<T, R, C>,
) {
    // Column by column, as in the forward pass.
    let mut dot = [T::ZERO; R];
    for (g_col, a_col) in grad.data.0.iter().zip(&a.data.0) {
        for ((d, &g), &a) in dot.iter_mut().zip(g_col).zip(a_col) {
            *d += g * a;
        }
    }
    for (out_col, a_col) in grad.data.0.iter_mut().zip(&a.data.0) {
        for ((o, &a), &d) in out_col.iter_mut().zip(a_col).zip(&dot) {
            *o = a * (*o - d);
        }
    }
}

/// The softmax activation: turns each row into a probability distribution. Only an output
/// layer may use it; paired with [`CrossEntropy`](crate::CrossEntropy) its gradient fuses to
/// `p − y`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Softmax;

impl Activation for Softmax {
    const NAME: &'static str = "softmax";
    const INIT: Init = Init::Glorot;

    fn forward<T: Element, const B: usize, const N: usize>(z: &Matrix<T, B, N>) -> Matrix<T, B, N> {
        softmax(z)
    }

    fn backward<T: Element, const B: usize, const N: usize>(
        a: &Matrix<T, B, N>,
        grad: &Matrix<T, B, N>,
    ) -> Matrix<T, B, N> {
        softmax_backward(a, grad)
    }

    #[inline]
    fn forward_in_place<T: Element, const B: usize, const N: usize>(z: &mut Matrix<T, B, N>) {
        softmax_in_place(z);
    }

    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn __forward_in_place_as<M: Arithmetic, T: Element, const B: usize, const N: usize>(
        z: &mut Matrix<T, B, N>,
    ) {
        crate::kernels::elementwise::softmax::<M, T, B, N>(&mut z.data.0);
    }

    #[inline]
    fn backward_in_place<T: Element, const B: usize, const N: usize>(
        a: &Matrix<T, B, N>,
        grad: &mut Matrix<T, B, N>,
    ) {
        softmax_backward_in_place(a, grad);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matrix::from_rows;
    use crate::testing::*;

    #[test]
    fn rows_are_distributions_even_for_huge_logits() {
        let z: Matrix<f32, 2, 3> = from_rows([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4]]);
        let p = softmax(&z);
        assert!(p.iter().all(|v| v.is_finite()), "{p}");
        assert_eq!(p.row(0).into_owned(), from_rows([[1.0, 0.0, 0.0]]));
        for v in p.row(1).iter() {
            assert!((v - 1.0 / 3.0).abs() < 1e-7);
        }
    }

    #[test]
    fn matches_the_definition() {
        let z: Matrix<f64, 1, 3> = from_rows([[1.0, 2.0, 3.0]]);
        let total = 1f64.exp() + 2f64.exp() + 3f64.exp();
        let expected: Matrix<f64, 1, 3> =
            from_rows([[1f64.exp() / total, 2f64.exp() / total, 3f64.exp() / total]]);
        assert!((softmax(&z) - expected).abs().max() < 1e-15);
    }

    #[test]
    fn backward_matches_finite_differences() {
        for seed in 0..CASES {
            let mut rng = rng(seed);
            let z = uniform::<3, 4>(&mut rng, -3.0, 3.0);
            let w = uniform::<3, 4>(&mut rng, -1.0, 1.0);
            let g = Softmax::backward(&Softmax::forward(&z), &w);
            assert_gradient("softmax", &z, &g, |z| weighted_sum(&w, &softmax(z)));
        }
    }
}
