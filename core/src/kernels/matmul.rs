//! The matrix product `a · b` on nalgebra's column storage, register-tiled.

use super::{LANES, dot};
use crate::Element;

/// The widest row tile the target's vector registers hold four columns of (in elements),
/// decided at compile time from the target features: 64 with AVX-512 (four 16-wide
/// vectors of `f32` per column, 16 accumulators), 16 with AVX2, 8 otherwise.
pub(crate) const WIDEST_ROWS: usize = if cfg!(target_feature = "avx512f") {
    64
} else if cfg!(target_feature = "avx2") {
    16
} else {
    8
};

/// Columns per tile: each row vector loaded from `a` feeds this many multiply-adds.
pub(crate) const COLUMNS: usize = 4;

/// `out = a · b` for `a: R × K`, `b: K × C` (all column-major, as nalgebra stores them).
///
/// One sample (`R = 1`) is `C` dot products of length `K`. A batch is cut into tiles of
/// `MR` rows × 4 columns, whose accumulators stay in registers over the whole `K` loop:
/// each step loads `MR` values of a column of `a` and multiplies them by 4 scalars of `b`.
/// The tile height is the largest of 64, 16, 8 that divides `R` and fits the target's
/// registers; other batches run in rows of one.
#[inline]
pub fn matmul<T: Element, const R: usize, const K: usize, const C: usize>(
    a: &[[T; R]; K],
    b: &[[T; K]; C],
    out: &mut [[T; R]; C],
) {
    if R == 1 {
        let a = a.as_flattened();
        // Four dot products at a time: four independent chains of multiply-adds hide each
        // other's latency, and every value of `a` loaded serves all four.
        let (out_blocks, out_rest) = out.as_chunks_mut::<COLUMNS>();
        let (b_blocks, b_rest) = b.as_chunks::<COLUMNS>();
        for (out_block, b_block) in out_blocks.iter_mut().zip(b_blocks) {
            let sums = dots(a, b_block);
            for (o, s) in out_block.iter_mut().zip(sums) {
                o[0] = s;
            }
        }
        for (o, b_col) in out_rest.iter_mut().zip(b_rest) {
            o[0] = dot(a, b_col);
        }
    } else if WIDEST_ROWS >= 64 && R.is_multiple_of(64) {
        tiled::<T, R, K, C, 64>(a, b, out);
    } else if WIDEST_ROWS >= 16 && R.is_multiple_of(16) {
        tiled::<T, R, K, C, 16>(a, b, out);
    } else if R.is_multiple_of(8) {
        tiled::<T, R, K, C, 8>(a, b, out);
    } else {
        tiled::<T, R, K, C, 1>(a, b, out);
    }
}

/// `matmul` in tiles of `MR` rows (`MR` divides `R`) × [`COLUMNS`] columns, then the
/// columns left over one at a time.
#[inline(always)]
fn tiled<T: Element, const R: usize, const K: usize, const C: usize, const MR: usize>(
    a: &[[T; R]; K],
    b: &[[T; K]; C],
    out: &mut [[T; R]; C],
) {
    let (out_blocks, out_rest) = out.as_chunks_mut::<COLUMNS>();
    let (b_blocks, b_rest) = b.as_chunks::<COLUMNS>();
    for r0 in (0..R).step_by(MR) {
        for (out_block, b_block) in out_blocks.iter_mut().zip(b_blocks) {
            let mut acc = [[T::ZERO; MR]; COLUMNS];
            for (k, a_col) in a.iter().enumerate() {
                let a_rows = rows::<T, R, MR>(a_col, r0);
                for (acc_col, b_col) in acc.iter_mut().zip(b_block) {
                    let s = b_col[k];
                    for (c, &x) in acc_col.iter_mut().zip(a_rows) {
                        *c = x.mul_add(s, *c);
                    }
                }
            }
            for (out_col, acc_col) in out_block.iter_mut().zip(&acc) {
                rows_mut::<T, R, MR>(out_col, r0).copy_from_slice(acc_col);
            }
        }
        for (out_col, b_col) in out_rest.iter_mut().zip(b_rest) {
            let mut acc = [T::ZERO; MR];
            for (a_col, &s) in a.iter().zip(b_col) {
                for (c, &x) in acc.iter_mut().zip(rows::<T, R, MR>(a_col, r0)) {
                    *c = x.mul_add(s, *c);
                }
            }
            rows_mut::<T, R, MR>(out_col, r0).copy_from_slice(&acc);
        }
    }
}

/// `[a · b_0, …, a · b_3]`, each summed exactly as [`dot`] sums it.
#[inline(always)]
fn dots<T: Element, const K: usize>(a: &[T], b: &[[T; K]; COLUMNS]) -> [T; COLUMNS] {
    let (a_chunks, a_tail) = a.as_chunks::<LANES>();
    let mut acc = [[T::ZERO; LANES]; COLUMNS];
    for (c, x) in a_chunks.iter().enumerate() {
        for (acc_col, b_col) in acc.iter_mut().zip(b) {
            let (b_chunks, _) = b_col.as_chunks::<LANES>();
            if let Some(y) = b_chunks.get(c) {
                for l in 0..LANES {
                    acc_col[l] = x[l].mul_add(y[l], acc_col[l]);
                }
            }
        }
    }
    let mut out = [T::ZERO; COLUMNS];
    for ((o, acc_col), b_col) in out.iter_mut().zip(&mut acc).zip(b) {
        let mut width = LANES;
        while width > 1 {
            width /= 2;
            for l in 0..width {
                acc_col[l] += acc_col[l + width];
            }
        }
        let mut total = acc_col[0];
        let b_tail = b_col.as_chunks::<LANES>().1;
        for (&x, &y) in a_tail.iter().zip(b_tail) {
            total = x.mul_add(y, total);
        }
        *o = total;
    }
    out
}

/// Rows `r0..r0 + MR` of a column.
#[inline(always)]
fn rows<T: Element, const R: usize, const MR: usize>(column: &[T; R], r0: usize) -> &[T; MR] {
    let (blocks, _) = column.as_chunks::<MR>();
    &blocks[r0 / MR]
}

/// Rows `r0..r0 + MR` of a column, mutably.
#[inline(always)]
fn rows_mut<T: Element, const R: usize, const MR: usize>(
    column: &mut [T; R],
    r0: usize,
) -> &mut [T; MR] {
    let (blocks, _) = column.as_chunks_mut::<MR>();
    &mut blocks[r0 / MR]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{rng, uniform};

    fn check<const R: usize, const K: usize, const C: usize>(seed: u64) {
        let mut rng = rng(seed);
        let a = uniform::<R, K>(&mut rng, -1.0, 1.0);
        let b = uniform::<K, C>(&mut rng, -1.0, 1.0);
        let mut out = crate::matrix::zeros::<f64, R, C>();
        matmul(&a.data.0, &b.data.0, &mut out.data.0);
        for r in 0..R {
            for c in 0..C {
                let mut expected = 0.0;
                for k in 0..K {
                    expected += a[(r, k)] * b[(k, c)];
                }
                assert!((out[(r, c)] - expected).abs() < 1e-12, "({r}, {c}) of {R}x{K}x{C}");
            }
        }
    }

    #[test]
    fn matches_a_triple_loop_on_odd_shapes() {
        check::<1, 2, 16>(1);
        check::<1, 33, 7>(2);
        check::<1, 50, 9>(9);
        check::<3, 5, 7>(3);
        check::<8, 9, 5>(4);
        check::<16, 13, 10>(5);
        check::<64, 31, 9>(6);
        check::<128, 3, 4>(7);
        check::<24, 17, 1>(8);
    }
}
