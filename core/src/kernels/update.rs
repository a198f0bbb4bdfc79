//! The fused weight-gradient-and-update pass of a training step.

use super::COLUMNS;
use super::dot;
use super::isa::{Build, Isa, SMALL, with_isa};
use crate::Element;

/// Updates `w` (`O` columns of `I` input weights, a perceptron's storage) from the weight
/// gradient `xᵀ g` of a batch, without storing that gradient: each piece of it goes to
/// `update(at, weights, gradient)` as soon as it is summed, with `at` the position of the
/// piece's first weight in `w` (column-major, PyTorch's `[out][in]` order).
///
/// `x` is the layer's input (`B × I`, column-major), `g` the gradient with respect to its
/// pre-activation (`B × O`).
#[inline]
pub fn weights_from_outer_product<T: Element, const B: usize, const I: usize, const O: usize>(
    w: &mut [[T; I]; O],
    x: &[[T; B]; I],
    g: &[[T; B]; O],
    update: &mut impl FnMut(usize, &mut [T], &[T]),
) {
    if B * I * O < SMALL {
        columns_from_outer_product::<Build, T, B, I>(w, x, g, update);
    } else {
        with_isa!(S => columns_from_outer_product::<S, T, B, I>(w, x, g, update));
    }
}

/// [`weights_from_outer_product`] for the units at hand: `w` and `g` hold the same units
/// (all of a layer's, or one core's share), and `at` counts from the first of them.
#[inline(always)]
pub(crate) fn columns_from_outer_product<S: Isa, T: Element, const B: usize, const I: usize>(
    w: &mut [[T; I]],
    x: &[[T; B]; I],
    g: &[[T; B]],
    update: &mut impl FnMut(usize, &mut [T], &[T]),
) {
    let w = w.as_flattened_mut();
    outer_product_columns::<S, T, B, I>(x, g, &mut |at, gradient| {
        if let Some(weights) = w.get_mut(at..at + gradient.len()) {
            update(at, weights, gradient);
        }
    });
}

/// The weight gradient `xᵀ g` (`I × O`) piece by piece: `sink(at, values)` receives a run
/// of it in its column-major order (a unit's `I` values after another's), starting at
/// position `at`: `values[i]` is `Σ_b x[k][b] g[unit][b]` for `unit · I + k = at + i`.
/// `matmul_transpose_a` collects the same pieces, so a network's fused step and its
/// separate backward pass agree to the bit.
///
/// Inputs are taken in blocks of `MR` (the matmul's tile height): a block of `x` is
/// transposed once into a small buffer, then for every 4 units an `MR × 4` tile of
/// accumulators runs over the batch in registers, each row of the buffer feeding 4
/// multiply-adds per value. The inputs left over (fewer than 8) are dot products. A layer
/// of fewer than 8 inputs gets its gradient as dot products too, many units per run.
#[inline]
pub fn outer_product<T: Element, const B: usize, const I: usize, const O: usize>(
    x: &[[T; B]; I],
    g: &[[T; B]; O],
    sink: &mut impl FnMut(usize, &[T]),
) {
    if B * I * O < SMALL {
        outer_product_columns::<Build, T, B, I>(x, g, sink);
    } else {
        with_isa!(S => outer_product_columns::<S, T, B, I>(x, g, sink));
    }
}

/// How many units' gradients a layer of fewer than 8 inputs hands over in one run.
const SMALL_RUN_UNITS: usize = 32;

/// [`outer_product`] for the units (columns of `g`) at hand, wholly in the code of the
/// instruction set `S`: not only its tiles but the batch's transposition and the `sink`
/// (an optimizer's loops) between them, which in SSE2 were a tenth of W3's step. Every
/// caller goes through here, so a core's half of a split update, run on the worker as a
/// function of its own, gets the same code.
#[inline(always)]
pub(crate) fn outer_product_columns<S: Isa, T: Element, const B: usize, const I: usize>(
    x: &[[T; B]; I],
    g: &[[T; B]],
    sink: &mut impl FnMut(usize, &[T]),
) {
    S::run(
        #[inline(always)]
        || outer_product_in::<S, T, B, I>(x, g, sink),
    );
}

/// The body of [`outer_product_columns`].
#[inline(always)]
fn outer_product_in<S: Isa, T: Element, const B: usize, const I: usize>(
    x: &[[T; B]; I],
    g: &[[T; B]],
    sink: &mut impl FnMut(usize, &[T]),
) {
    if I < 8 {
        // A 2-input layer: a run of whole units per call, so the update loops over dozens
        // of weights at a time, not one.
        let mut run = [T::ZERO; 7 * SMALL_RUN_UNITS];
        for (chunk, g_chunk) in g.chunks(SMALL_RUN_UNITS).enumerate() {
            let len = g_chunk.len() * I;
            for (unit, g_col) in run.chunks_exact_mut(I.max(1)).zip(g_chunk) {
                for (value, x_col) in unit.iter_mut().zip(x) {
                    *value = dot(x_col, g_col);
                }
            }
            sink(chunk * SMALL_RUN_UNITS * I, run.get(..len).unwrap_or_default());
        }
        return;
    }
    // The widest blocks the registers hold, then narrower ones for what is left (784
    // inputs are 12 blocks of 64 and one of 16), then dot products for the last few.
    let mut k = 0;
    if S::WIDEST_ROWS >= 64 {
        k += blocks::<S, T, B, 64>(x, k, g, sink);
    }
    if S::WIDEST_ROWS >= 16 {
        k += blocks::<S, T, B, 16>(x, k, g, sink);
    }
    k += blocks::<S, T, B, 8>(x, k, g, sink);
    let rest = x.get(k..).unwrap_or_default();
    if !rest.is_empty() {
        let mut buffer = [T::ZERO; 8];
        for (unit, g_col) in g.iter().enumerate() {
            for (o, xk) in buffer.iter_mut().zip(rest) {
                *o = dot(xk, g_col);
            }
            sink(unit * I + k, &buffer[..rest.len()]);
        }
    }
}

/// The whole blocks of `MR` inputs of `x[k_start..]`, handed to `sink`; returns how many
/// inputs they cover.
#[inline(always)]
fn blocks<S: Isa, T: Element, const B: usize, const MR: usize>(
    x: &[[T; B]],
    k_start: usize,
    g: &[[T; B]],
    sink: &mut impl FnMut(usize, &[T]),
) -> usize {
    let inputs = x.len();
    let (x_blocks, _) = x.get(k_start..).unwrap_or_default().as_chunks::<MR>();
    let (g_blocks, g_rest) = g.as_chunks::<COLUMNS>();
    let mut packed = [[T::ZERO; MR]; B];
    for (kb, x_block) in x_blocks.iter().enumerate() {
        let k0 = k_start + kb * MR;
        // Row by row, so that each store is contiguous: column by column, LLVM wrote
        // AVX-512 scatters, which are microcoded and slow.
        for (b, row) in packed.iter_mut().enumerate() {
            for (v, column) in row.iter_mut().zip(x_block) {
                *v = column[b];
            }
        }
        for (ob, g_block) in g_blocks.iter().enumerate() {
            let sums = S::outer_tile::<T, B, MR>(&packed, g_block);
            for (j, sum) in sums.iter().enumerate() {
                sink((ob * COLUMNS + j) * inputs + k0, sum);
            }
        }
        for (j, g_col) in g_rest.iter().enumerate() {
            let mut acc = [T::ZERO; MR];
            for (row, &s) in packed.iter().zip(g_col) {
                for (c, &v) in acc.iter_mut().zip(row) {
                    *c = v.mul_add(s, *c);
                }
            }
            sink((g_blocks.len() * COLUMNS + j) * inputs + k0, &acc);
        }
    }
    x_blocks.len() * MR
}

/// The `MR × 4` tile of `xᵀ g` for one block of inputs (`packed`, the block transposed:
/// one row of `MR` inputs per sample) and 4 units, summed over the batch in registers.
///
/// Each instruction set runs it in a function of its own that is never inlined
/// (`kernels::isa`), for the same reason as the matmul's tile: inside a larger body (a
/// sink that is not inlined, such as an optimizer behind `dyn` on the other core), LLVM
/// kept the accumulators on the stack, a store per multiply-add (BENCHMARKS.md,
/// "Measurements behind the kernels' shape").
#[inline(always)]
pub(super) fn tile<S: Isa, T: Element, const B: usize, const MR: usize>(
    packed: &[[T; MR]; B],
    g: &[[T; B]; COLUMNS],
) -> [[T; MR]; COLUMNS] {
    let mut acc = [[T::ZERO; MR]; COLUMNS];
    for (b, row) in packed.iter().enumerate() {
        for (acc_col, g_col) in acc.iter_mut().zip(g) {
            let s = g_col[b];
            for (c, &v) in acc_col.iter_mut().zip(row) {
                *c = S::mul_add(v, s, *c);
            }
        }
    }
    acc
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{rng, uniform};

    fn check<const B: usize, const I: usize, const O: usize>(seed: u64) {
        let mut rng = rng(seed);
        let x = uniform::<B, I>(&mut rng, -1.0, 1.0);
        let g = uniform::<B, O>(&mut rng, -1.0, 1.0);
        let mut w = uniform::<I, O>(&mut rng, -1.0, 1.0);
        let before = w;
        // A factor per flat position, as an optimizer's state would be: a run handed over
        // at the wrong position would be scaled by the wrong factors.
        let factor = |at: usize| 1.0 + at as f64 * 1e-3;
        let mut visits = vec![0u32; I * O];
        weights_from_outer_product(
            &mut w.data.0,
            &x.data.0,
            &g.data.0,
            &mut |at, params: &mut [f64], grads: &[f64]| {
                for (i, (p, &d)) in params.iter_mut().zip(grads).enumerate() {
                    *p -= d * factor(at + i);
                    visits[at + i] += 1;
                }
            },
        );
        assert!(visits.iter().all(|&n| n == 1), "every weight updated once");
        // Against a plain triple loop.
        for k in 0..I {
            for o in 0..O {
                let mut gradient = 0.0;
                for b in 0..B {
                    gradient += x[(b, k)] * g[(b, o)];
                }
                let expected = before[(k, o)] - gradient * factor(o * I + k);
                assert!((w[(k, o)] - expected).abs() < 1e-12, "({k}, {o}) of {B}x{I}x{O}");
            }
        }
    }

    #[test]
    fn matches_a_triple_loop_on_odd_shapes() {
        check::<1, 2, 16>(1);
        check::<1, 7, 5>(2);
        check::<3, 5, 7>(3);
        check::<17, 33, 9>(4);
        check::<64, 20, 10>(5);
        check::<37, 19, 1>(6);
        // Blocks of 64, then 16, then 8, then dot products (85 = 64 + 16 + 5).
        check::<8, 85, 9>(7);
        check::<5, 152, 6>(8);
        // Fewer than 8 inputs, more units than one run holds.
        check::<4, 3, 70>(9);
    }
}
