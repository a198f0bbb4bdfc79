//! The matrix product `a · b` on nalgebra's column storage, register-tiled.

use super::isa::{Build, Isa, with_isa};
use super::reduce::pairwise;
use super::{COLUMNS, LANES, dot};
use crate::Element;
use core::ops::Range;

/// `out = a · b` for `a: R × K`, `b: K × C` (all column-major, as nalgebra stores them).
#[inline]
pub fn matmul<T: Element, const R: usize, const K: usize, const C: usize>(
    a: &[[T; R]; K],
    b: &[[T; K]; C],
    out: &mut [[T; R]; C],
) {
    affine(a, b, &[[T::ZERO]; C], out);
}

/// `out = a · b + bias` (the bias added to every row) for `a: R × K`, `b: K × C` (all
/// column-major, as nalgebra stores them): a perceptron's pre-activation in one pass.
///
/// One sample (`R = 1`) is `C` dot products of length `K`, each over a column of `b`
/// (the input weights of one unit, contiguous). Short ones (`K` under [`LANES`], a
/// 2-input layer) are plain loops the compiler unrolls; longer ones run
/// `ONE_ROW_COLUMNS` at a time, each value of `a` loaded once for all of them. A batch is cut into tiles of `MR` rows × 4 columns,
/// whose accumulators start from the bias and stay in registers over the whole `K` loop:
/// each step loads `MR` values of a column of `a` and multiplies them by 4 scalars of `b`.
/// The tile height is the largest of 64, 32, 16, 8 that divides `R` and fits the
/// target's registers; other batches run in rows of one. All of these choices are constants, so
/// each product compiles to one of them.
///
/// With the `parallel` feature, a product of at least `kernels::parallel::min_split`
/// multiply-adds is cut in two by its columns, the second half computed on the other core:
/// the same values, from two cores at once.
#[inline]
pub fn affine<T: Element, const R: usize, const K: usize, const C: usize>(
    a: &[[T; R]; K],
    b: &[[T; K]; C],
    bias: &[[T; 1]; C],
    out: &mut [[T; R]; C],
) {
    // A small product (W1's 2 → 16 layer) gains nothing from wider vectors, and skips the
    // choice: the sizes are constants, so this costs nothing either way.
    if R * K * C < super::isa::SMALL {
        affine_in::<Build, T, R, K, C>(a, b, bias, out);
    } else {
        with_isa!(I => affine_in::<I, T, R, K, C>(a, b, bias, out));
    }
}

/// [`affine`] with the instruction set `I`.
#[inline(always)]
pub(crate) fn affine_in<I: Isa, T: Element, const R: usize, const K: usize, const C: usize>(
    a: &[[T; R]; K],
    b: &[[T; K]; C],
    bias: &[[T; 1]; C],
    out: &mut [[T; R]; C],
) {
    #[cfg(feature = "parallel")]
    if let Some(middle) = super::parallel::cut::<I>(R * K * C, C) {
        let (b_first, b_second) = b.split_at(middle);
        let (bias_first, bias_second) = bias.split_at(middle);
        let (out_first, out_second) = out.split_at_mut(middle);
        super::parallel::join(
            || affine_columns::<I, T, R, K>(a, b_first, bias_first, out_first),
            || affine_columns::<I, T, R, K>(a, b_second, bias_second, out_second),
        );
        return;
    }
    affine_columns::<I, T, R, K>(a, b, bias, out);
}

/// [`affine`] for the columns of `b` (and of `bias` and `out`) at hand: all of them, or one
/// core's share. Inlined into `affine`, the column count is its constant again.
#[inline(always)]
fn affine_columns<I: Isa, T: Element, const R: usize, const K: usize>(
    a: &[[T; R]; K],
    b: &[[T; K]],
    bias: &[[T; 1]],
    out: &mut [[T; R]],
) {
    if R == 1 {
        let a = a.as_flattened();
        if K < LANES {
            for ((o, b_col), &[bias]) in out.iter_mut().zip(b).zip(bias) {
                let mut total = T::ZERO;
                for (&x, &y) in a.iter().zip(b_col) {
                    total = x.mul_add(y, total);
                }
                o[0] = total + bias;
            }
        } else if I::ONE_ROW_COLUMNS == 8 {
            // Groups of 8, then the rest in groups of 4: the same sums per column, and
            // less padding for a last group (a 10-unit output layer computes 12, not 16).
            let whole = out.len() / 8 * 8;
            let (Some((b8, b4)), Some((bias8, bias4)), Some((out8, out4))) = (
                b.split_at_checked(whole),
                bias.split_at_checked(whole),
                out.split_at_mut_checked(whole),
            ) else {
                return;
            };
            one_row::<T, R, K, 8>(a, b8, bias8, out8, I::dots8);
            one_row::<T, R, K, 4>(a, b4, bias4, out4, I::dots4);
        } else if I::ONE_ROW_COLUMNS == 4 {
            one_row::<T, R, K, 4>(a, b, bias, out, I::dots4);
        } else if I::ONE_ROW_COLUMNS == 2 {
            one_row::<T, R, K, 2>(a, b, bias, out, I::dots2);
        } else {
            for ((o, b_col), &[bias]) in out.iter_mut().zip(b).zip(bias) {
                o[0] = dot(a, b_col) + bias;
            }
        }
    } else if I::WIDEST_ROWS >= 64 && R.is_multiple_of(64) {
        tiled::<I, T, R, K, 64>(a, b, bias, out);
    } else if I::WIDEST_ROWS >= 64 && R.is_multiple_of(32) {
        // Two vectors per column: 8 accumulators, twice the chains of a 16-row tile.
        tiled::<I, T, R, K, 32>(a, b, bias, out);
    } else if I::WIDEST_ROWS >= 16 && R.is_multiple_of(16) {
        tiled::<I, T, R, K, 16>(a, b, bias, out);
    } else if R.is_multiple_of(8) {
        tiled::<I, T, R, K, 8>(a, b, bias, out);
    } else {
        tiled::<I, T, R, K, 1>(a, b, bias, out);
    }
}

/// One sample's `a · b + bias`, `N` dot products at a time by `dots`, then the columns
/// left over one at a time.
#[inline(always)]
fn one_row<T: Element, const R: usize, const K: usize, const N: usize>(
    a: &[T],
    b: &[[T; K]],
    bias: &[[T; 1]],
    out: &mut [[T; R]],
    dots: impl Fn(&[T], [&[T; K]; N]) -> [T; N],
) {
    // The columns of a group are a quarter (a half) of the layer apart, not neighbours:
    // then each of the N streams of weights runs on from one column into the next, one long
    // sequential read for the prefetchers, instead of N short ones that restart with every
    // group.
    let groups = b.len() / N;
    for j in 0..groups {
        let columns: [Option<&[T; K]>; N] = core::array::from_fn(|n| b.get(j + n * groups));
        let Some(&Some(first)) = columns.first() else { return };
        let sums = dots(a, columns.map(|c| c.unwrap_or(first)));
        for (n, s) in sums.into_iter().enumerate() {
            let at = j + n * groups;
            if let (Some(o), Some(&[bias])) = (out.get_mut(at), bias.get(at)) {
                o[0] = s + bias;
            }
        }
    }
    // The columns left over (fewer than N) through the same `dots`, the missing ones
    // standing in as repeats of the first: every column then sums in the same order,
    // whichever group it falls in, so another N (another instruction set) or a split of
    // the columns across cores gives the same bits.
    let done = groups * N;
    let rest = b.get(done..).unwrap_or_default();
    if let Some(first) = rest.first() {
        let sums = dots(a, core::array::from_fn(|n| rest.get(n).unwrap_or(first)));
        let places = out.iter_mut().zip(bias).skip(done);
        for (s, (o, &[bias])) in sums.into_iter().zip(places) {
            o[0] = s + bias;
        }
    }
}

/// `acc += x ⊙ y`, lane by lane.
#[inline(always)]
fn lanes<I: Isa, T: Element>(x: &[T; LANES], y: &[T; LANES], acc: &mut [T; LANES]) {
    for ((c, &x), &y) in acc.iter_mut().zip(x).zip(y) {
        *c = I::mul_add(x, y, *c);
    }
}

/// The end of one column's dot product in `dots2`/`dots4`: the products past the last
/// whole chunk of [`LANES`], added onto the reduced partial sums.
#[inline(always)]
fn finish<I: Isa, T: Element>(a: &[T], b: &[T], mut total: T) -> T {
    for (&x, &y) in a.as_chunks::<LANES>().1.iter().zip(b.as_chunks::<LANES>().1) {
        total = I::mul_add(x, y, total);
    }
    total
}

// `dots2` and `dots4` spell their columns out and walk them with `zip`, and their loops
// sit in functions that are never inlined. Written as a loop over the columns, or inlined
// where the four results are stored side by side, LLVM's SLP vectoriser grouped the
// columns (not the lanes) into vectors and spent its time shuffling, at a fifth of the
// speed.

/// The whole chunks of [`LANES`] values of a column.
#[inline(always)]
fn chunks<T, const K: usize>(column: &[T; K]) -> &[[T; LANES]] {
    column.as_chunks::<LANES>().0
}

/// `[a · b_0, a · b_1]`, each in [`LANES`] partial sums (`partial`: [`partial_sums2`],
/// in a function of its own).
#[inline(always)]
pub(super) fn dots2<I: Isa, T: Element, const K: usize>(
    a: &[T],
    b: [&[T; K]; 2],
    partial: impl Fn(&[T], [&[T; K]; 2]) -> [[T; LANES]; 2],
) -> [T; 2] {
    let [acc0, acc1] = partial(a, b);
    [finish::<I, T>(a, b[0], pairwise(&acc0)), finish::<I, T>(a, b[1], pairwise(&acc1))]
}

/// The partial sums of [`dots2`]; each instruction set calls it from a function that is
/// never inlined (`kernels::isa`).
#[inline(always)]
pub(super) fn partial_sums2<I: Isa, T: Element, const K: usize>(
    a: &[T],
    b: [&[T; K]; 2],
) -> [[T; LANES]; 2] {
    let [b0, b1] = b;
    let mut acc = [[T::ZERO; LANES]; 2];
    let [acc0, acc1] = &mut acc;
    for ((x, y0), y1) in a.as_chunks::<LANES>().0.iter().zip(chunks(b0)).zip(chunks(b1)) {
        lanes::<I, T>(x, y0, acc0);
        lanes::<I, T>(x, y1, acc1);
    }
    acc
}

/// `[a · b_0, …, a · b_3]`, each in [`LANES`] partial sums (`partial`: [`partial_sums4`],
/// in a function of its own), reduced by `reduce`.
#[inline(always)]
pub(super) fn dots4<I: Isa, T: Element, const K: usize>(
    a: &[T],
    b: [&[T; K]; 4],
    partial: impl Fn(&[T], [&[T; K]; 4]) -> [[T; LANES]; 4],
    reduce: impl Fn(&[[T; LANES]; 4]) -> [T; 4],
) -> [T; 4] {
    // The four reductions side by side: whole vectors where the target allows. Out here,
    // not in the never-inlined loop's function, where LLVM compiled them worse
    // (BENCHMARKS.md, "The partial sums' reduction").
    let [s0, s1, s2, s3] = reduce(&partial(a, b));
    [
        finish::<I, T>(a, b[0], s0),
        finish::<I, T>(a, b[1], s1),
        finish::<I, T>(a, b[2], s2),
        finish::<I, T>(a, b[3], s3),
    ]
}

/// The partial sums of [`dots4`]; each instruction set calls it from a function that is
/// never inlined (`kernels::isa`).
#[inline(always)]
pub(super) fn partial_sums4<I: Isa, T: Element, const K: usize>(
    a: &[T],
    b: [&[T; K]; 4],
) -> [[T; LANES]; 4] {
    let [b0, b1, b2, b3] = b;
    let mut acc = [[T::ZERO; LANES]; 4];
    let [acc0, acc1, acc2, acc3] = &mut acc;
    let columns = chunks(b0).iter().zip(chunks(b1)).zip(chunks(b2)).zip(chunks(b3));
    for (x, (((y0, y1), y2), y3)) in a.as_chunks::<LANES>().0.iter().zip(columns) {
        lanes::<I, T>(x, y0, acc0);
        lanes::<I, T>(x, y1, acc1);
        lanes::<I, T>(x, y2, acc2);
        lanes::<I, T>(x, y3, acc3);
    }
    acc
}

/// `[a · b_0, …, a · b_7]`: [`dots4`] for eight columns, reduced four at a time. Only the
/// AVX-512 variant takes 8 columns (`kernels::isa`).
#[cfg(all(feature = "std", target_arch = "x86_64"))]
#[inline(always)]
pub(super) fn dots8<I: Isa, T: Element, const K: usize>(
    a: &[T],
    b: [&[T; K]; 8],
    partial: impl Fn(&[T], [&[T; K]; 8]) -> [[T; LANES]; 8],
    reduce: impl Fn(&[[T; LANES]; 4]) -> [T; 4],
) -> [T; 8] {
    let acc = partial(a, b);
    let (low, high) = acc.split_at(4);
    let (Ok(low), Ok(high)) =
        (<&[[T; LANES]; 4]>::try_from(low), <&[[T; LANES]; 4]>::try_from(high))
    else {
        return [T::ZERO; 8];
    };
    let [s0, s1, s2, s3] = reduce(low);
    let [s4, s5, s6, s7] = reduce(high);
    [
        finish::<I, T>(a, b[0], s0),
        finish::<I, T>(a, b[1], s1),
        finish::<I, T>(a, b[2], s2),
        finish::<I, T>(a, b[3], s3),
        finish::<I, T>(a, b[4], s4),
        finish::<I, T>(a, b[5], s5),
        finish::<I, T>(a, b[6], s6),
        finish::<I, T>(a, b[7], s7),
    ]
}

/// The partial sums of [`dots8`], in a function that is never inlined (`kernels::isa`).
#[cfg(all(feature = "std", target_arch = "x86_64"))]
#[inline(always)]
pub(super) fn partial_sums8<I: Isa, T: Element, const K: usize>(
    a: &[T],
    b: [&[T; K]; 8],
) -> [[T; LANES]; 8] {
    let [b0, b1, b2, b3, b4, b5, b6, b7] = b;
    let mut acc = [[T::ZERO; LANES]; 8];
    let [acc0, acc1, acc2, acc3, acc4, acc5, acc6, acc7] = &mut acc;
    let first = chunks(b0).iter().zip(chunks(b1)).zip(chunks(b2)).zip(chunks(b3));
    let second = chunks(b4).iter().zip(chunks(b5)).zip(chunks(b6)).zip(chunks(b7));
    for (x, ((((y0, y1), y2), y3), (((y4, y5), y6), y7))) in
        a.as_chunks::<LANES>().0.iter().zip(first.zip(second))
    {
        lanes::<I, T>(x, y0, acc0);
        lanes::<I, T>(x, y1, acc1);
        lanes::<I, T>(x, y2, acc2);
        lanes::<I, T>(x, y3, acc3);
        lanes::<I, T>(x, y4, acc4);
        lanes::<I, T>(x, y5, acc5);
        lanes::<I, T>(x, y6, acc6);
        lanes::<I, T>(x, y7, acc7);
    }
    acc
}

/// How many terms of the sum a tile takes before the next tile runs: the `R × KC` panel
/// of `a` they read then stays in the level-1 data cache (32 kB of its 48), where the whole
/// of a 784-input batch of 64 (200 kB) was read from level 2 once per 4 columns.
const fn panel_depth<T, const R: usize>() -> usize {
    let depth = (32 << 10) / (R * core::mem::size_of::<T>());
    if depth < 16 { 16 } else { depth }
}

/// `matmul` in tiles of `MR` rows (`MR` divides `R`) × [`COLUMNS`] columns, then the
/// columns left over one at a time. The sum over `K` runs in panels of
/// [`panel_depth`] terms, every tile's first; each output is still summed from the bias in
/// the order of `k` (a tile's sums go to `out` between panels and come back exactly), so
/// the result is the same to the bit as in one pass.
#[inline(always)]
fn tiled<I: Isa, T: Element, const R: usize, const K: usize, const MR: usize>(
    a: &[[T; R]; K],
    b: &[[T; K]],
    bias: &[[T; 1]],
    out: &mut [[T; R]],
) {
    let (out_blocks, out_rest) = out.as_chunks_mut::<COLUMNS>();
    let (b_blocks, b_rest) = b.as_chunks::<COLUMNS>();
    let (bias_blocks, bias_rest) = bias.as_chunks::<COLUMNS>();
    let depth = panel_depth::<T, R>();
    let mut k0 = 0;
    while k0 < K {
        let terms = k0..K.min(k0 + depth);
        let blocks = out_blocks.iter_mut().zip(b_blocks).zip(bias_blocks);
        for ((out_block, b_block), bias_block) in blocks {
            let start = if k0 == 0 { Some(bias_block) } else { None };
            I::tiles::<T, R, K, MR>(a, b_block, start, terms.clone(), out_block);
        }
        k0 = terms.end;
    }
    // The columns left over (fewer than 4) run here, compiled for the build's target.
    for r0 in (0..R).step_by(MR) {
        for ((out_col, b_col), &[bias]) in out_rest.iter_mut().zip(b_rest).zip(bias_rest) {
            let mut acc = [bias; MR];
            for (a_col, &s) in a.iter().zip(b_col) {
                for (c, &x) in acc.iter_mut().zip(rows::<T, R, MR>(a_col, r0)) {
                    *c = x.mul_add(s, *c);
                }
            }
            rows_mut::<T, R, MR>(out_col, r0).copy_from_slice(&acc);
        }
    }
}

/// The terms `terms` of `a · b + bias` for the [`COLUMNS`] columns of `b` given, `MR` rows
/// at a time: the tile's accumulators start from the bias (`start`, for the first terms)
/// or from what `out` holds, and stay in registers over the terms.
///
/// Each instruction set runs it in a function of its own that is never inlined
/// (`kernels::isa`): a small function is where LLVM reliably keeps the `MR × 4`
/// accumulators in registers. Inlined into a larger body (one core's half of a product, in
/// a closure), it kept them on the stack, a load and a store around every multiply-add
/// (BENCHMARKS.md, "Measurements behind the kernels' shape").
#[inline(always)]
pub(super) fn tiles<I: Isa, T: Element, const R: usize, const K: usize, const MR: usize>(
    a: &[[T; R]; K],
    b: &[[T; K]; COLUMNS],
    start: Option<&[[T; 1]; COLUMNS]>,
    terms: Range<usize>,
    out: &mut [[T; R]; COLUMNS],
) {
    let [b0, b1, b2, b3] = b;
    let (Some(a), Some(b0), Some(b1), Some(b2), Some(b3)) = (
        a.get(terms.clone()),
        b0.get(terms.clone()),
        b1.get(terms.clone()),
        b2.get(terms.clone()),
        b3.get(terms),
    ) else {
        return;
    };
    for r0 in (0..R).step_by(MR) {
        let mut acc: [[T; MR]; COLUMNS] = match start {
            Some(bias) => bias.map(|[bias]| [bias; MR]),
            None => core::array::from_fn(|j| *rows::<T, R, MR>(&out[j], r0)),
        };
        for ((((a_col, &s0), &s1), &s2), &s3) in a.iter().zip(b0).zip(b1).zip(b2).zip(b3) {
            let a_rows = rows::<T, R, MR>(a_col, r0);
            for (acc_col, s) in acc.iter_mut().zip([s0, s1, s2, s3]) {
                for (c, &x) in acc_col.iter_mut().zip(a_rows) {
                    *c = I::mul_add(x, s, *c);
                }
            }
        }
        for (out_col, acc_col) in out.iter_mut().zip(&acc) {
            rows_mut::<T, R, MR>(out_col, r0).copy_from_slice(acc_col);
        }
    }
}

/// `out += g · wᵀ` for `g: R × C`, `w: K × C` (all column-major): the gradient of `a · w`
/// with respect to `a` (a layer's input gradient, `w` its weights), added to what `out`
/// holds (a gradient several readers send shares to), without forming the transpose.
///
/// Every value is summed over `c` in order onto what `out` held, whichever way it is cut: one sample
/// (`R = 1`) is `C` axpys along the contiguous columns of `w`; a batch is cut into tiles of
/// `MR` rows × 4 columns of `out`, whose accumulators stay in registers while `c`
/// runs, each step loading `MR` values of a column of `g` and 4 neighbouring values of a
/// column of `w` (the `MR × C` panel of `g` is read once per 4 columns of `out`, where a
/// column at a time read all of `g` for each). Other batches run a column at a time.
#[inline]
pub fn add_matmul_transpose_b<T: Element, const R: usize, const K: usize, const C: usize>(
    g: &[[T; R]; C],
    w: &[[T; K]; C],
    out: &mut [[T; R]; K],
) {
    if R * K * C < super::isa::SMALL {
        transpose_b_in::<Build, T, R, K, C>(g, w, out);
    } else {
        with_isa!(I => transpose_b_in::<I, T, R, K, C>(g, w, out));
    }
}

/// [`add_matmul_transpose_b`] with the instruction set `I`.
#[inline(always)]
pub(crate) fn transpose_b_in<I: Isa, T: Element, const R: usize, const K: usize, const C: usize>(
    g: &[[T; R]; C],
    w: &[[T; K]; C],
    out: &mut [[T; R]; K],
) {
    if R == 1 {
        let out = out.as_flattened_mut();
        for (g_col, w_col) in g.iter().zip(w) {
            let s = g_col[0];
            for (o, &x) in out.iter_mut().zip(w_col) {
                *o = x.mul_add(s, *o);
            }
        }
    } else if I::WIDEST_ROWS >= 64 && R.is_multiple_of(64) {
        transposed_tiled::<I, T, R, K, C, 64>(g, w, out);
    } else if I::WIDEST_ROWS >= 64 && R.is_multiple_of(32) {
        transposed_tiled::<I, T, R, K, C, 32>(g, w, out);
    } else if I::WIDEST_ROWS >= 16 && R.is_multiple_of(16) {
        transposed_tiled::<I, T, R, K, C, 16>(g, w, out);
    } else if R.is_multiple_of(8) {
        transposed_tiled::<I, T, R, K, C, 8>(g, w, out);
    } else {
        add_columns_one_by_one(g, w, 0, out);
    }
}

/// `out += g · wᵀ` for the columns of `out` given, the first of them column `first` of the
/// product: one column at a time, compiled for the build's target.
#[inline(always)]
fn add_columns_one_by_one<T: Element, const R: usize, const K: usize, const C: usize>(
    g: &[[T; R]; C],
    w: &[[T; K]; C],
    first: usize,
    out: &mut [[T; R]],
) {
    for (k, out_col) in out.iter_mut().enumerate().map(|(k, col)| (k + first, col)) {
        for (g_col, w_col) in g.iter().zip(w) {
            let s = w_col[k];
            for (o, &x) in out_col.iter_mut().zip(g_col) {
                *o = x.mul_add(s, *o);
            }
        }
    }
}

/// Columns of `w` copied side by side before their tiles run: a cache line of `f32`.
const PANEL: usize = 4 * COLUMNS;

/// [`add_matmul_transpose_b`] in tiles of `MR` rows × [`COLUMNS`] columns of `out`, then the
/// columns left over one at a time.
///
/// A tile reads 4 neighbouring values from each column of `w`, and the columns are `K`
/// values apart: for a 1024-wide layer, 4 kB, so every read maps to the same few cache sets
/// and the lines are evicted before the next tiles use the rest of them. So the values of
/// [`PANEL`] columns of `out` are first copied from `w` into one contiguous panel (each
/// line of `w` read once), and the tiles read the panel in order.
#[inline(always)]
fn transposed_tiled<
    I: Isa,
    T: Element,
    const R: usize,
    const K: usize,
    const C: usize,
    const MR: usize,
>(
    g: &[[T; R]; C],
    w: &[[T; K]; C],
    out: &mut [[T; R]; K],
) {
    let (out_panels, out_rest) = out.as_chunks_mut::<PANEL>();
    let mut panel = [[T::ZERO; PANEL]; C];
    for (p, out_panel) in out_panels.iter_mut().enumerate() {
        for (dst, w_col) in panel.iter_mut().zip(w) {
            *dst = w_col.as_chunks::<PANEL>().0[p];
        }
        for (block, out_block) in out_panel.as_chunks_mut::<COLUMNS>().0.iter_mut().enumerate() {
            I::transposed_tiles::<T, R, C, PANEL, MR>(g, &panel, block, out_block);
        }
    }
    // Fewer than `PANEL` columns left: whole tiles from a narrower panel, then one by one.
    let done = out_panels.len() * PANEL;
    let (rest_blocks, rest_columns) = out_rest.as_chunks_mut::<COLUMNS>();
    let mut narrow = [[T::ZERO; COLUMNS]; C];
    for (b, out_block) in rest_blocks.iter_mut().enumerate() {
        let first = done + b * COLUMNS;
        for (dst, w_col) in narrow.iter_mut().zip(w) {
            dst.copy_from_slice(&w_col[first..first + COLUMNS]);
        }
        I::transposed_tiles::<T, R, C, COLUMNS, MR>(g, &narrow, 0, out_block);
    }
    add_columns_one_by_one(g, w, done + rest_blocks.len() * COLUMNS, rest_columns);
}

/// Columns `4 · block .. 4 · block + 4` of a panel's share of `g · wᵀ` (`panel[c]` holds
/// `P` neighbouring values of column `c` of `w`) added to `out`, `MR` rows at a time, the
/// tile's accumulators (starting from `out`) in registers over the whole sum. Each instruction set runs it in a
/// function of its own that is never inlined, as [`tiles`].
#[inline(always)]
pub(super) fn transposed_tiles<
    I: Isa,
    T: Element,
    const R: usize,
    const C: usize,
    const P: usize,
    const MR: usize,
>(
    g: &[[T; R]; C],
    panel: &[[T; P]; C],
    block: usize,
    out: &mut [[T; R]; COLUMNS],
) {
    for r0 in (0..R).step_by(MR) {
        let mut acc: [[T; MR]; COLUMNS] = core::array::from_fn(|j| *rows::<T, R, MR>(&out[j], r0));
        for (g_col, values) in g.iter().zip(panel) {
            let g_rows = rows::<T, R, MR>(g_col, r0);
            // `get`, not an index: the caller's `block` is always in range, but an index
            // left a panic path in firmware that trains a 64 → 32 → 10 network.
            let Some(scalars) = values.as_chunks::<COLUMNS>().0.get(block) else { continue };
            for (acc_col, &s) in acc.iter_mut().zip(scalars) {
                for (c, &x) in acc_col.iter_mut().zip(g_rows) {
                    *c = I::mul_add(x, s, *c);
                }
            }
        }
        for (out_col, acc_col) in out.iter_mut().zip(&acc) {
            rows_mut::<T, R, MR>(out_col, r0).copy_from_slice(acc_col);
        }
    }
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
        let bias = uniform::<1, C>(&mut rng, -1.0, 1.0);
        let mut out = crate::matrix::zeros::<f64, R, C>();
        matmul(&a.data.0, &b.data.0, &mut out.data.0);
        let mut with_bias = crate::matrix::zeros::<f64, R, C>();
        affine(&a.data.0, &b.data.0, &bias.data.0, &mut with_bias.data.0);
        for r in 0..R {
            for c in 0..C {
                let mut expected = 0.0;
                for k in 0..K {
                    expected += a[(r, k)] * b[(k, c)];
                }
                assert!((out[(r, c)] - expected).abs() < 1e-12, "({r}, {c}) of {R}x{K}x{C}");
                let expected = expected + bias[c];
                assert!(
                    (with_bias[(r, c)] - expected).abs() < 1e-12,
                    "affine ({r}, {c}) of {R}x{K}x{C}"
                );
            }
        }
    }

    fn check_transpose_b<const R: usize, const K: usize, const C: usize>(seed: u64) {
        let mut rng = rng(seed);
        let g = uniform::<R, C>(&mut rng, -1.0, 1.0);
        let w = uniform::<K, C>(&mut rng, -1.0, 1.0);
        let mut out = crate::matrix::zeros::<f64, R, K>();
        // What `out` held is added to, once.
        out.fill(7.0);
        add_matmul_transpose_b(&g.data.0, &w.data.0, &mut out.data.0);
        for r in 0..R {
            for k in 0..K {
                let mut expected = 7.0;
                for c in 0..C {
                    expected += g[(r, c)] * w[(k, c)];
                }
                assert!((out[(r, k)] - expected).abs() < 1e-12, "({r}, {k}) of {R}x{K}x{C}");
            }
        }
    }

    #[test]
    fn transpose_b_matches_a_triple_loop_on_odd_shapes() {
        // One sample; tiles of 8, 16, 32 and 64 rows, with and without columns left over;
        // rows in no tile; small and large enough to take the run-time choice.
        check_transpose_b::<1, 7, 3>(1);
        check_transpose_b::<1, 300, 40>(2);
        check_transpose_b::<8, 9, 5>(3);
        check_transpose_b::<16, 13, 10>(4);
        check_transpose_b::<32, 21, 6>(5);
        check_transpose_b::<64, 31, 9>(6);
        check_transpose_b::<128, 66, 33>(7);
        check_transpose_b::<3, 5, 7>(8);
        check_transpose_b::<24, 4, 64>(9);
    }

    /// A tile sums each output from the bias in the order of `k`, whether the terms run in
    /// one pass or in panels (`panel_depth`): the same bits as a plain loop of the same
    /// multiply-adds in that order.
    fn same_bits_as_an_ordered_loop<const R: usize, const K: usize, const C: usize>(seed: u64) {
        let mut rng = rng(seed);
        let a = uniform::<R, K>(&mut rng, -1.0, 1.0).map(|v| v as f32);
        let b = uniform::<K, C>(&mut rng, -1.0, 1.0).map(|v| v as f32);
        let bias = uniform::<1, C>(&mut rng, -1.0, 1.0).map(|v| v as f32);
        let mut out = crate::matrix::zeros::<f32, R, C>();
        affine_in::<Build, f32, R, K, C>(&a.data.0, &b.data.0, &bias.data.0, &mut out.data.0);
        for r in 0..R {
            for c in 0..C {
                let mut expected = bias[c];
                for k in 0..K {
                    expected = Element::mul_add(a[(r, k)], b[(k, c)], expected);
                }
                assert_eq!(out[(r, c)].to_bits(), expected.to_bits(), "({r}, {c}) of {R}x{K}x{C}");
            }
        }
    }

    #[test]
    fn panels_of_terms_sum_in_order() {
        // 3 panels of 128 terms (batch 64), 2 of 512 (batch 16), 3 of 32 (batch 256), and
        // one panel.
        same_bits_as_an_ordered_loop::<64, 300, 9>(1);
        same_bits_as_an_ordered_loop::<16, 600, 5>(2);
        same_bits_as_an_ordered_loop::<256, 70, 4>(3);
        same_bits_as_an_ordered_loop::<32, 40, 6>(4);
    }

    #[test]
    fn matches_a_triple_loop_on_odd_shapes() {
        check::<1, 2, 16>(1);
        check::<1, 33, 7>(2);
        check::<1, 50, 9>(9);
        // One sample: short products, and long ones with and without chunks left over.
        check::<1, 15, 3>(10);
        check::<1, 16, 19>(11);
        check::<1, 47, 13>(12);
        check::<1, 64, 8>(13);
        check::<1, 100, 5>(14);
        check::<1, 300, 3>(15);
        check::<3, 5, 7>(3);
        check::<8, 9, 5>(4);
        check::<16, 13, 10>(5);
        check::<64, 31, 9>(6);
        check::<128, 3, 4>(7);
        check::<32, 21, 6>(16);
        check::<96, 7, 5>(17);
        check::<24, 17, 1>(8);
        check::<64, 300, 9>(18);
        check::<16, 600, 5>(19);
    }
}

/// A product split across the two cores is the same product, to the bit.
#[cfg(all(test, feature = "parallel"))]
mod split_tests {
    use super::super::parallel::cut;
    use super::super::parallel::lock;
    use super::super::parallel::tests::{SERIAL, unsplit_and_split, with_big_stack};

    /// `a · b + bias` by `affine`, split and unsplit: the same bits, and a triple loop's
    /// values.
    fn same_product<const R: usize, const K: usize, const C: usize>(seed: u64) {
        let mut rng = crate::testing::rng(seed);
        let x = crate::testing::uniform::<R, K>(&mut rng, -1.0, 1.0);
        let w = crate::testing::uniform::<K, C>(&mut rng, -1.0, 1.0);
        let bias = crate::testing::uniform::<1, C>(&mut rng, -1.0, 1.0);
        crate::kernels::isa::with_isa!(S => assert!(cut::<S>(R * K * C, C).is_some()));
        let (unsplit, split) = unsplit_and_split(|| {
            let mut out = crate::matrix::zeros::<f64, R, C>();
            super::affine(&x.data.0, &w.data.0, &bias.data.0, &mut out.data.0);
            out
        });
        assert!(unsplit.iter().zip(split.iter()).all(|(a, b)| a.to_bits() == b.to_bits()));
        for (r, c) in [(0, 0), (R / 2, C / 2 - 1), (R / 3, C / 2), (R - 1, C - 1)] {
            let expected: f64 = bias[c] + (0..K).map(|k| x[(r, k)] * w[(k, c)]).sum::<f64>();
            assert!((split[(r, c)] - expected).abs() < 1e-12, "({r}, {c}) of {R}x{K}x{C}");
        }
    }

    #[test]
    // Miri: too large to interpret, and libm's `sqrt` is inline assembly.
    #[cfg_attr(miri, ignore)]
    fn a_split_product_is_the_whole_product_to_the_bit() {
        let _serial = lock(&SERIAL);
        with_big_stack(|| {
            // 130 columns: halves of 64 and 66, the last two outside a 4-column tile.
            same_product::<64, 40, 130>(1);
            // One sample: dot products, 4 (or 2) columns at a time, then the rest one by one.
            same_product::<1, 600, 450>(2);
            // One sample, 440 columns: the middle (220) is not a multiple of 8, the columns
            // AVX-512 takes at a time, so the first half's last 4 columns are left over
            // from its groups where the whole product has them in one; they must sum alike.
            same_product::<1, 600, 440>(3);
        });
    }
}
