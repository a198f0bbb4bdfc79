//! Matrix multiplication, the tutorial's `matmul`, and the two transposed products its
//! backward pass needs.
//!
//! nalgebra stores matrices column by column, so each kernel is written to walk columns:
//! the inner loops run over contiguous memory with lengths the compiler knows.

use crate::{Element, Matrix};

/// `a · b`: `(R × K) · (K × C) → (R × C)`. The inner dimensions must agree, so a mismatch
/// does not compile.
pub fn matmul<T: Element, const R: usize, const K: usize, const C: usize>(
    a: &Matrix<T, R, K>,
    b: &Matrix<T, K, C>,
) -> Matrix<T, R, C> {
    let mut out = crate::matrix::zeros::<T, R, C>();
    crate::kernels::matmul::matmul(&a.data.0, &b.data.0, &mut out.data.0);
    out
}

/// `aᵀ · g`: `(R × K)ᵀ · (R × C) → (K × C)`, without forming the transpose. This is the
/// gradient of `a · b` with respect to `b`.
pub fn matmul_transpose_a<T: Element, const R: usize, const K: usize, const C: usize>(
    a: &Matrix<T, R, K>,
    g: &Matrix<T, R, C>,
) -> Matrix<T, K, C> {
    let mut out = crate::matrix::zeros::<T, K, C>();
    // out[k, c] = a[:, k] · g[:, c], summed the way the fused training step sums them.
    let flat = out.data.0.as_flattened_mut();
    crate::kernels::update::outer_product(&a.data.0, &g.data.0, &mut |at, values| {
        if let Some(piece) = flat.get_mut(at..at + values.len()) {
            piece.copy_from_slice(values);
        }
    });
    out
}

/// `g · bᵀ`: `(R × C) · (K × C)ᵀ → (R × K)`, without forming the transpose. This is the
/// gradient of `a · b` with respect to `a`.
pub fn matmul_transpose_b<T: Element, const R: usize, const K: usize, const C: usize>(
    g: &Matrix<T, R, C>,
    b: &Matrix<T, K, C>,
) -> Matrix<T, R, K> {
    let mut out = crate::matrix::zeros::<T, R, K>();
    add_matmul_transpose_b(g, b, &mut out);
    out
}

/// `out += g · bᵀ`: [`matmul_transpose_b`] added into `out`, which a network's backward
/// pass owns (a gradient that several readers add their shares to).
pub fn add_matmul_transpose_b<T: Element, const R: usize, const K: usize, const C: usize>(
    g: &Matrix<T, R, C>,
    b: &Matrix<T, K, C>,
    out: &mut Matrix<T, R, K>,
) {
    crate::kernels::matmul::add_matmul_transpose_b(&g.data.0, &b.data.0, &mut out.data.0);
}

/// The backward pass of [`matmul`]: `(g · bᵀ, aᵀ · g)`.
pub fn matmul_backward<T: Element, const R: usize, const K: usize, const C: usize>(
    a: &Matrix<T, R, K>,
    b: &Matrix<T, K, C>,
    grad: &Matrix<T, R, C>,
) -> (Matrix<T, R, K>, Matrix<T, K, C>) {
    (matmul_transpose_b(grad, b), matmul_transpose_a(a, grad))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matrix::from_rows;
    use crate::testing::*;

    #[test]
    fn agrees_with_nalgebra() {
        for seed in 0..CASES {
            let mut rng = rng(seed);
            let a = uniform::<3, 5>(&mut rng, -2.0, 2.0);
            let b = uniform::<5, 2>(&mut rng, -2.0, 2.0);
            let g = uniform::<3, 2>(&mut rng, -2.0, 2.0);
            assert!((matmul(&a, &b) - a * b).abs().max() < 1e-12);
            assert!((matmul_transpose_a(&a, &g) - a.transpose() * g).abs().max() < 1e-12);
            assert!((matmul_transpose_b(&g, &b) - g * b.transpose()).abs().max() < 1e-12);
        }
    }

    #[test]
    fn tutorial_affine_example() {
        // The tutorial's first graph: A x + b with A = [[1, 0], [0, -1]], b = [1, 1],
        // x = [1, 2] gives [2, -1].
        let a: Matrix<f64, 2, 2> = from_rows([[1.0, 0.0], [0.0, -1.0]]);
        let x: Matrix<f64, 2, 1> = from_rows([[1.0], [2.0]]);
        let b: Matrix<f64, 2, 1> = from_rows([[1.0], [1.0]]);
        let y = crate::ops::add(&matmul(&a, &x), &b);
        assert_eq!(y, from_rows([[2.0], [-1.0]]));
    }

    #[test]
    fn backward_matches_finite_differences() {
        for seed in 0..CASES {
            let mut rng = rng(seed);
            let a = uniform::<3, 4>(&mut rng, -2.0, 2.0);
            let b = uniform::<4, 2>(&mut rng, -2.0, 2.0);
            let w = uniform::<3, 2>(&mut rng, -1.0, 1.0);
            let (ga, gb) = matmul_backward(&a, &b, &w);
            assert_gradient("matmul a", &a, &ga, |a| weighted_sum(&w, &matmul(a, &b)));
            assert_gradient("matmul b", &b, &gb, |b| weighted_sum(&w, &matmul(&a, b)));
        }
    }
}
