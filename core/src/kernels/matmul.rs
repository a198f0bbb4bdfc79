//! The matrix product `a · b` on nalgebra's column storage, register-tiled.

use super::isa::{Arithmetic, AsBuilt, Isa, with_isa_in};
use super::reduce::pairwise;
use super::{COLUMNS, Count, Fixed, LANES, columns, columns_mut, dot, tile_height, with_height};
use crate::Element;

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
/// (the input weights of one unit, contiguous). Short ones (`K` up to [`LANES`]: a
/// 2-input layer, W1's 16 → 2) are plain loops the compiler unrolls; longer ones run
/// `ONE_ROW_COLUMNS` at a time, each value of `a` loaded once for all of them. A batch is
/// cut into tiles of `MR` rows × 6 (AVX2) or 4 columns, whose accumulators start from the
/// bias and stay in registers over the whole `K` loop: each step loads `MR` values of a
/// column of `a` and multiplies them by 6 or 4 scalars of `b`. The tile height is the largest of 64, 32, 16, 8
/// that divides `R` and fits the target's registers ([`tile_height`]); other batches run in
/// rows of one. A product of at least `isa::SMALL` multiply-adds runs in the kernels
/// compiled once for `T` (`kernels::compiled`), its sizes passed as arguments; a smaller
/// one inlined here, its sizes constants.
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
    affine_as::<AsBuilt, T, R, K, C>(a, b, bias, out);
}

/// [`affine`] in a pass of arithmetic `M`: a small product (W1's 2 → 16 layer) is inlined
/// into the pass in its arithmetic, and skips the choice of a set (the sizes are
/// constants, so this costs nothing).
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
pub(crate) fn affine_as<
    M: Arithmetic,
    T: Element,
    const R: usize,
    const K: usize,
    const C: usize,
>(
    a: &[[T; R]; K],
    b: &[[T; K]; C],
    bias: &[[T; 1]; C],
    out: &mut [[T; R]; C],
) {
    with_isa_in!(M, R * K * C; I => affine_in::<I, T, R, K, C>(a, b, bias, out));
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
/// core's share. A short product (at most [`LANES`] terms of one sample: W1's 2 → 16 and
/// 16 → 2 layers) is a loop here, unrolled for its constant sizes: with one chunk of
/// [`LANES`] or less, partial sums only add a reduction and a call that returns them through
/// memory (W1's step 162 → 137 ns, I1 94 → 78, on Zen 3 in a default build, with the
/// closures below). The others go to the kernels compiled once for the element type
/// (`kernels::compiled`).
#[inline(always)]
fn affine_columns<I: Isa, T: Element, const R: usize, const K: usize>(
    a: &[[T; R]; K],
    b: &[[T; K]],
    bias: &[[T; 1]],
    out: &mut [[T; R]],
) {
    if const { R == 1 && K <= LANES } {
        let a = a.as_flattened();
        for ((o, b_col), &[bias]) in out.iter_mut().zip(b).zip(bias) {
            let mut total = T::ZERO;
            for (&x, &y) in a.iter().zip(b_col) {
                total = I::mul_add(x, y, total);
            }
            o[0] = total + bias;
        }
    } else if const { R == 1 } {
        let (a, b, out) = (a.as_flattened(), b.as_flattened(), out.as_flattened_mut());
        if I::INLINE {
            affine_one_sample::<I, T>(a, b, bias, out);
        } else {
            T::affine_one_sample(I::LEVEL, a, b, bias, out);
        }
    } else {
        let (a, b, out) = (a.as_flattened(), b.as_flattened(), out.as_flattened_mut());
        if I::INLINE {
            // The tile height chosen at compile time: only its tiles are generated.
            with_height!(const { tile_height(I::WIDEST_ROWS, R) }; MR =>
                tiled::<I, T, MR>(a, Fixed::<R>, Fixed::<K>, b, bias, out));
        } else {
            T::affine_batch(I::LEVEL, a, R, b, bias, out);
        }
    }
}

/// One sample's `a · b + bias` with `I`: `b` holds the product's columns one after
/// another (`a.len()` values each), `out` one value per column. The dot products run
/// `I::ONE_ROW_COLUMNS` at a time, each value of `a` loaded once for all of them.
#[inline(always)]
pub(super) fn affine_one_sample<I: Isa, T: Element>(
    a: &[T],
    b: &[T],
    bias: &[[T; 1]],
    out: &mut [T],
) {
    // Closures, not `I::dots4`: a function item passed as `impl Fn` is called through a
    // shim LLVM kept out of line, the reduction in it (1% of I3's inference; 7% of W1's
    // step when its 16 → 2 layer came here, BENCHMARKS.md).
    if I::ONE_ROW_COLUMNS == 8 {
        // Groups of 8, then the rest in groups of 4: the same sums per column, and less
        // padding for a last group (a 10-unit output layer computes 12, not 16).
        let whole = out.len() / 8 * 8;
        let (Some((b8, b4)), Some((bias8, bias4)), Some((out8, out4))) = (
            b.split_at_checked(whole * a.len()),
            bias.split_at_checked(whole),
            out.split_at_mut_checked(whole),
        ) else {
            return;
        };
        one_row::<T, 8>(
            a,
            b8,
            bias8,
            out8,
            #[inline(always)]
            |a, b| I::dots8(a, b),
        );
        one_row::<T, 4>(
            a,
            b4,
            bias4,
            out4,
            #[inline(always)]
            |a, b| I::dots4(a, b),
        );
    } else if I::ONE_ROW_COLUMNS == 4 {
        one_row::<T, 4>(
            a,
            b,
            bias,
            out,
            #[inline(always)]
            |a, b| I::dots4(a, b),
        );
    } else if I::ONE_ROW_COLUMNS == 2 {
        one_row::<T, 2>(
            a,
            b,
            bias,
            out,
            #[inline(always)]
            |a, b| I::dots2(a, b),
        );
    } else if !a.is_empty() {
        for ((o, b_col), &[bias]) in out.iter_mut().zip(columns(b, a.len())).zip(bias) {
            *o = dot(a, b_col) + bias;
        }
    }
}

/// A batch's `a · b + bias` with `I`, in the register tiles of [`tile_height`]. `a` holds
/// its columns of `rows` values one after another, `b` the product's columns, `out` its
/// columns of `rows` values.
#[inline(always)]
pub(super) fn affine_batch<I: Isa, T: Element>(
    a: &[T],
    rows: usize,
    b: &[T],
    bias: &[[T; 1]],
    out: &mut [T],
) {
    with_height!(tile_height(I::WIDEST_ROWS, rows); MR => {
        let terms = a.len().checked_div(rows).unwrap_or(0);
        tiled::<I, T, MR>(a, rows, terms, b, bias, out);
    });
}

/// One sample's `a · b + bias`, `N` dot products at a time by `dots`, then the columns
/// left over. `b` holds the product's columns one after another (`a.len()` values each),
/// `out` one value per column.
#[inline(always)]
fn one_row<T: Element, const N: usize>(
    a: &[T],
    b: &[T],
    bias: &[[T; 1]],
    out: &mut [T],
    dots: impl Fn(&[T], [&[T]; N]) -> [T; N],
) {
    let column = |at: usize| b.get(at * a.len()..(at + 1) * a.len());
    // The columns of a group are a quarter (a half) of the layer apart, not neighbours:
    // then each of the N streams of weights runs on from one column into the next, one long
    // sequential read for the prefetchers, instead of N short ones that restart with every
    // group.
    let groups = out.len() / N;
    for j in 0..groups {
        let columns: [Option<&[T]>; N] = core::array::from_fn(|n| column(j + n * groups));
        let Some(&Some(first)) = columns.first() else { return };
        let sums = dots(a, columns.map(|c| c.unwrap_or(first)));
        for (n, s) in sums.into_iter().enumerate() {
            let at = j + n * groups;
            if let (Some(o), Some(&[bias])) = (out.get_mut(at), bias.get(at)) {
                *o = s + bias;
            }
        }
    }
    // The columns left over (fewer than N) through the same `dots`, the missing ones
    // standing in as repeats of the first: every column then sums in the same order,
    // whichever group it falls in, so another N (another instruction set) or a split of
    // the columns across cores gives the same bits.
    let done = groups * N;
    if let Some(first) = column(done).filter(|_| done < out.len()) {
        let sums = dots(a, core::array::from_fn(|n| column(done + n).unwrap_or(first)));
        let places = out.iter_mut().zip(bias).skip(done);
        for (s, (o, &[bias])) in sums.into_iter().zip(places) {
            *o = s + bias;
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
fn chunks<T>(column: &[T]) -> &[[T; LANES]] {
    column.as_chunks::<LANES>().0
}

/// `[a · b_0, a · b_1]`, each in [`LANES`] partial sums (`partial`: [`partial_sums2`],
/// in a function of its own).
#[inline(always)]
pub(super) fn dots2<I: Isa, T: Element>(
    a: &[T],
    b: [&[T]; 2],
    partial: impl Fn(&[T], [&[T]; 2]) -> [[T; LANES]; 2],
) -> [T; 2] {
    let [acc0, acc1] = partial(a, b);
    [finish::<I, T>(a, b[0], pairwise(&acc0)), finish::<I, T>(a, b[1], pairwise(&acc1))]
}

/// The partial sums of [`dots2`]; each instruction set calls it from a function that is
/// never inlined (`kernels::isa`).
#[inline(always)]
pub(super) fn partial_sums2<I: Isa, T: Element>(a: &[T], b: [&[T]; 2]) -> [[T; LANES]; 2] {
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
pub(super) fn dots4<I: Isa, T: Element>(
    a: &[T],
    b: [&[T]; 4],
    partial: impl Fn(&[T], [&[T]; 4]) -> [[T; LANES]; 4],
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
pub(super) fn partial_sums4<I: Isa, T: Element>(a: &[T], b: [&[T]; 4]) -> [[T; LANES]; 4] {
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
pub(super) fn dots8<I: Isa, T: Element>(
    a: &[T],
    b: [&[T]; 8],
    partial: impl Fn(&[T], [&[T]; 8]) -> [[T; LANES]; 8],
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
pub(super) fn partial_sums8<I: Isa, T: Element>(a: &[T], b: [&[T]; 8]) -> [[T; LANES]; 8] {
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

/// How many terms of the sum a tile takes before the next tile runs: the `rows × depth`
/// panel of `a` they read then stays in the level-1 data cache (32 kB of its 48), where the
/// whole of a 784-input batch of 64 (200 kB) was read from level 2 once per 4 columns.
fn panel_depth<T>(rows: usize) -> usize {
    ((32 << 10) / (rows * core::mem::size_of::<T>()).max(1)).max(16)
}

/// How a product's `columns` output columns are cut into register tiles when the widest
/// tile the instruction set takes is `widest` columns wide: `(wide, four)`, the number of
/// tiles of `widest` columns and then of 4; the rest (at most one column, or `columns`
/// itself under 4) is left over for [`tiled`] to run one column at a time. A remainder goes to tiles of 4 rather than narrower
/// ones: a 2-column tile has 4 accumulators for the 8 chains the FMA units need, half
/// their rate (W3's 128 units are 20 tiles of 6 and 2 of 4).
pub(crate) const fn column_tiles(columns: usize, widest: usize) -> (usize, usize) {
    if widest <= COLUMNS {
        return (0, columns / COLUMNS);
    }
    // Tiles of 4 for what is left after whole wide tiles, taking wide tiles back (one at
    // a time) until what is left is a multiple of 4, with at most one column over.
    let mut wide = columns / widest;
    loop {
        let rest = columns - wide * widest;
        if rest % COLUMNS <= 1 || wide == 0 {
            return (wide, rest / COLUMNS);
        }
        wide -= 1;
    }
}

/// `a · b + bias` in tiles of `MR` rows (`MR` divides `rows`) × `I::TILE_COLUMNS` or 4
/// columns ([`column_tiles`]), then the columns left over one at a time. `a` holds `terms` columns of `rows` values, `b` the
/// product's columns of `terms` values, `out` its columns of `rows` values, each one
/// after another (nalgebra's storage, flattened). The sum over the terms runs in panels of
/// [`panel_depth`] terms, every tile's first; each output is still summed from the bias in
/// the order of the terms (a tile's sums go to `out` between panels and come back exactly),
/// so the result is the same to the bit as in one pass, however the columns are cut.
#[inline(always)]
fn tiled<I: Isa, T: Element, const MR: usize>(
    a: &[T],
    row_count: impl Count,
    term_count: impl Count,
    b: &[T],
    bias: &[[T; 1]],
    out: &mut [T],
) {
    let (rows, terms) = (row_count.get(), term_count.get());
    if rows == 0 || a.len() != rows * terms {
        return;
    }
    if terms == 0 {
        // No terms: each output is its bias.
        for (out_col, &[bias]) in columns_mut(out, rows).zip(bias) {
            out_col.fill(bias);
        }
        return;
    }
    const { assert!(I::TILE_COLUMNS == 6 || I::TILE_COLUMNS == COLUMNS) };
    let width = (out.len() / rows).min(bias.len()).min(b.len() / terms);
    let (wide, four) = column_tiles(width, I::TILE_COLUMNS);
    let depth = panel_depth::<T>(rows);
    let mut k0 = 0;
    while k0 < terms {
        let panel = k0..terms.min(k0 + depth);
        let Some(a_panel) = a.get(panel.start * rows..panel.end * rows) else { return };
        let tiles = PanelTiles { a_panel, row_count, term_count, panel, terms };
        let (mut out, mut b, mut bias) = (&mut *out, b, bias);
        if const { I::TILE_COLUMNS == 6 } {
            (out, b, bias) = tiles.run::<I, MR, 6>(wide, out, b, bias);
        }
        tiles.run::<I, MR, COLUMNS>(four, out, b, bias);
        k0 = tiles.panel.end;
    }
    // The columns left over (fewer than 4; with tiles of 6, at most one where there are
    // 4 or more) run here, in the set's arithmetic: every variant with FMA then rounds
    // each output alike, whichever tiles its columns fell in.
    let done = wide * I::TILE_COLUMNS + four * COLUMNS;
    let (Some(out_rest), Some(b_rest), Some(bias_rest)) =
        (out.get_mut(done * rows..), b.get(done * terms..), bias.get(done..))
    else {
        return;
    };
    for r0 in (0..rows).step_by(MR) {
        let rest = columns_mut(out_rest, rows).zip(columns(b_rest, terms));
        for ((out_col, b_col), &[bias]) in rest.zip(bias_rest) {
            let mut acc = [bias; MR];
            for (a_col, &s) in columns(a, rows).zip(b_col) {
                let Some(a_rows) = window::<T, MR>(a_col, r0) else { return };
                for (c, &x) in acc.iter_mut().zip(a_rows) {
                    *c = I::mul_add(x, s, *c);
                }
            }
            if let Some(out_rows) = window_mut::<T, MR>(out_col, r0) {
                *out_rows = acc;
            }
        }
    }
}

/// One panel of terms of [`tiled`]'s product: `a`'s values for those terms, and where
/// they lie among all `terms`.
struct PanelTiles<'a, T, N, K> {
    a_panel: &'a [T],
    row_count: N,
    term_count: K,
    panel: core::ops::Range<usize>,
    terms: usize,
}

impl<T: Element, N: Count, K: Count> PanelTiles<'_, T, N, K> {
    /// Runs the panel's terms of `count` tiles of `NC` columns, the first columns of `out`,
    /// `b` and `bias`; returns the columns after them. Not inlined in debug builds, where
    /// each inlined copy's locals keep a slot of their own in the caller's frame (three
    /// copies per tile height made a step's stack outgrow `tests/big_batch.rs`'s).
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn run<'o, 'b, I: Isa, const MR: usize, const NC: usize>(
        &self,
        count: usize,
        out: &'o mut [T],
        b: &'b [T],
        bias: &'b [[T; 1]],
    ) -> (&'o mut [T], &'b [T], &'b [[T; 1]]) {
        let (rows, terms, panel) = (self.row_count.get(), self.terms, &self.panel);
        let (
            Some((out_blocks, out_rest)),
            Some((b_blocks, b_rest)),
            Some((bias_blocks, bias_rest)),
        ) = (
            out.split_at_mut_checked(count * NC * rows),
            b.split_at_checked(count * NC * terms),
            bias.split_at_checked(count * NC),
        )
        else {
            return (&mut [], &[], &[]);
        };
        let blocks = columns_mut(out_blocks, NC * rows)
            .zip(columns(b_blocks, NC * terms))
            .zip(bias_blocks.as_chunks::<NC>().0);
        for ((out_block, b_block), bias_block) in blocks {
            let mut b: [&[T]; NC] = [&[]; NC];
            for (j, column) in b.iter_mut().enumerate() {
                let Some(values) = b_block.get(j * terms + panel.start..j * terms + panel.end)
                else {
                    return (&mut [], &[], &[]);
                };
                *column = values;
            }
            let start = if panel.start == 0 { Some(bias_block) } else { None };
            if panel.len() == terms {
                // One panel (every small product): the count as the caller has it, so a
                // small product's tiles are compiled for its constant sizes.
                I::tiles::<T, MR, NC, _, _>(
                    self.a_panel,
                    self.row_count,
                    self.term_count,
                    b,
                    start,
                    out_block,
                );
            } else {
                I::tiles::<T, MR, NC, _, _>(
                    self.a_panel,
                    self.row_count,
                    panel.len(),
                    b,
                    start,
                    out_block,
                );
            }
        }
        (out_rest, b_rest, bias_rest)
    }
}

/// The `terms` terms in `a` (columns of `rows` values one after another) and `b` (the same
/// terms of `NC` columns) of `a · b + bias`, added into `out` (those columns' `rows`
/// values one after another), `MR` rows at a time: the tile's accumulators start from the bias
/// (`start`, for the first terms) or from what `out` holds, and stay in registers over the
/// terms.
///
/// Each instruction set runs it in a function of its own that is never inlined
/// (`kernels::isa`): a small function is where LLVM reliably keeps the `MR × NC`
/// accumulators in registers. Inlined into a larger body (one core's half of a product, in
/// a closure), it kept them on the stack, a load and a store around every multiply-add
/// (BENCHMARKS.md, "Measurements behind the kernels' shape").
#[inline(always)]
pub(super) fn tiles<I: Isa, T: Element, const MR: usize, const NC: usize>(
    a: &[T],
    rows: usize,
    terms: usize,
    b: [&[T]; NC],
    start: Option<&[[T; 1]; NC]>,
    out: &mut [T],
) {
    // `out` and `b`'s columns cut to the lengths the loops read: with the sizes constants
    // (a small product), the bounds below are known to hold and cost nothing. Not `a`:
    // cut too, LLVM loaded `b`'s values into registers and broadcast them from there, on
    // the port the AVX-512 FMAs use (W2 and W3 4-5% slower). A tile of 4 columns zips
    // them, so that no index into them is left to check (on the Cortex-M4F, indexed, the
    // 2 → 16 → 2 step took 6% more instructions); a tile of 6 indexes them
    // (`wide_tile_terms`).
    let Some(out) = out.get_mut(..NC * rows) else { return };
    if let Ok(&[b0, b1, b2, b3]) = <&[&[T]; 4]>::try_from(&b[..]) {
        let (Some(b0), Some(b1), Some(b2), Some(b3)) =
            (b0.get(..terms), b1.get(..terms), b2.get(..terms), b3.get(..terms))
        else {
            return;
        };
        let scalars = b0.iter().zip(b1).zip(b2).zip(b3);
        let scalars = scalars.map(|(((&s0, &s1), &s2), &s3)| [s0, s1, s2, s3]);
        tile_terms::<I, T, MR, NC>(a, rows, scalars, start, out);
    } else {
        let mut cut: [&[T]; NC] = [&[]; NC];
        for (column, values) in cut.iter_mut().zip(b) {
            let Some(values) = values.get(..terms) else { return };
            *column = values;
        }
        wide_tile_terms::<I, T, MR, NC>(a, rows, terms, cut, start, out);
    }
}

/// The accumulators of a tile's rows `r0..r0 + MR`: its bias (`start`, for the first
/// terms), else what `out` holds.
#[inline(always)]
fn tile_sums<T: Element, const MR: usize, const NC: usize>(
    start: Option<&[[T; 1]; NC]>,
    out: &[T],
    rows: usize,
    r0: usize,
) -> [[T; MR]; NC] {
    match start {
        Some(bias) => bias.map(|[bias]| [bias; MR]),
        None => {
            let mut sums = [[T::ZERO; MR]; NC];
            for (j, sums_col) in sums.iter_mut().enumerate() {
                if let Some(out_rows) = window::<T, MR>(out, j * rows + r0) {
                    *sums_col = *out_rows;
                }
            }
            sums
        }
    }
}

/// Writes a tile's accumulators to its rows `r0..r0 + MR` of `out`.
#[inline(always)]
fn store_sums<T: Element, const MR: usize, const NC: usize>(
    acc: &[[T; MR]; NC],
    out: &mut [T],
    rows: usize,
    r0: usize,
) {
    for (j, acc_col) in acc.iter().enumerate() {
        if let Some(out_rows) = window_mut::<T, MR>(out, j * rows + r0) {
            *out_rows = *acc_col;
        }
    }
}

/// The loops of [`tiles`] for a tile of 6 columns (`b`'s columns, `terms` values each).
/// Indexed, not zipped: each value of `b` is then broadcast just before its two
/// multiply-adds, where six zipped columns gave six values at once, six registers more
/// than the 16 beside the 12 accumulators (they went to the stack, W3 60% slower). The
/// bounds are known to hold, so `get` costs nothing.
#[inline(always)]
fn wide_tile_terms<I: Isa, T: Element, const MR: usize, const NC: usize>(
    a: &[T],
    rows: usize,
    terms: usize,
    b: [&[T]; NC],
    start: Option<&[[T; 1]; NC]>,
    out: &mut [T],
) {
    for r0 in (0..rows).step_by(MR) {
        let mut acc = tile_sums::<T, MR, NC>(start, out, rows, r0);
        if rows == MR {
            // The tile is the whole batch: `a`'s columns are whole `[T; MR]`s.
            let (a_cols, _) = a.as_chunks::<MR>();
            for (k, a_rows) in a_cols.iter().enumerate().take(terms) {
                for (acc_col, column) in acc.iter_mut().zip(b) {
                    let Some(&s) = column.get(k) else { return };
                    for (c, &x) in acc_col.iter_mut().zip(a_rows) {
                        *c = I::mul_add(x, s, *c);
                    }
                }
            }
        } else {
            let mut a_rest = a;
            for k in 0..terms {
                let Some((a_col, rest)) = a_rest.split_at_checked(rows) else { return };
                a_rest = rest;
                let Some(a_rows) = window::<T, MR>(a_col, r0) else { return };
                for (acc_col, column) in acc.iter_mut().zip(b) {
                    let Some(&s) = column.get(k) else { return };
                    for (c, &x) in acc_col.iter_mut().zip(a_rows) {
                        *c = I::mul_add(x, s, *c);
                    }
                }
            }
        }
        store_sums(&acc, out, rows, r0);
    }
}

/// The loops of [`tiles`] for a tile of 4 columns (`NC == 4`), given `b`'s values term
/// by term.
#[inline(always)]
fn tile_terms<I: Isa, T: Element, const MR: usize, const NC: usize>(
    a: &[T],
    rows: usize,
    scalars: impl Iterator<Item = [T; 4]> + Clone,
    start: Option<&[[T; 1]; NC]>,
    out: &mut [T],
) {
    if rows == 0 {
        return;
    }
    for r0 in (0..rows).step_by(MR) {
        let mut acc = tile_sums::<T, MR, NC>(start, out, rows, r0);
        if rows == MR {
            // The tile is the whole batch (W2's 32, W3's 64): `a`'s columns are whole
            // `[T; MR]`s, walked with `b`'s by one index, with no bound left to check in
            // the loop (4 scalar instructions a term instead of 7; 4% of W3's step).
            let (a_cols, _) = a.as_chunks::<MR>();
            for (a_rows, s) in a_cols.iter().zip(scalars) {
                for (acc_col, s) in acc.iter_mut().zip(s) {
                    for (c, &x) in acc_col.iter_mut().zip(a_rows) {
                        *c = I::mul_add(x, s, *c);
                    }
                }
            }
            if let Some(out) = out.as_chunks_mut::<MR>().0.first_chunk_mut::<NC>() {
                *out = acc;
            }
            return;
        }
        // `b`'s columns walked by one index, `a`'s columns split off one by one: zipped
        // with an iterator of `a`'s columns, the loop kept a bound per column of `b` and
        // spilled their pointers, 8% of W3's step.
        let mut a_rest = a;
        for s in scalars.clone() {
            let Some((a_col, rest)) = a_rest.split_at_checked(rows) else { return };
            a_rest = rest;
            let Some(a_rows) = window::<T, MR>(a_col, r0) else { return };
            for (acc_col, s) in acc.iter_mut().zip(s) {
                for (c, &x) in acc_col.iter_mut().zip(a_rows) {
                    *c = I::mul_add(x, s, *c);
                }
            }
        }
        store_sums(&acc, out, rows, r0);
    }
}

/// `out += g · wᵀ` for `g: R × C`, `w: K × C` (all column-major): the gradient of `a · w`
/// with respect to `a` (a layer's input gradient, `w` its weights), added to what `out`
/// holds (a gradient several readers send shares to), without forming the transpose.
///
/// Every value is summed over `c` in order onto what `out` held, whichever way it is cut:
/// one sample (`R = 1`) is `C` axpys along the contiguous columns of `w`; a batch is cut
/// into tiles of `MR` rows × 4 columns of `out`, whose accumulators stay in registers while
/// `c` runs, each step loading `MR` values of a column of `g` and 4 neighbouring values of a
/// column of `w` (the `MR × C` panel of `g` is read once per 4 columns of `out`, where a
/// column at a time read all of `g` for each). Other batches run a column at a time.
#[inline]
pub fn add_matmul_transpose_b<T: Element, const R: usize, const K: usize, const C: usize>(
    g: &[[T; R]; C],
    w: &[[T; K]; C],
    out: &mut [[T; R]; K],
) {
    with_isa_in!(AsBuilt, R * K * C; I => transpose_b_in::<I, T, R, K, C>(g, w, out));
}

/// [`add_matmul_transpose_b`] with the instruction set `I`.
#[inline(always)]
pub(crate) fn transpose_b_in<I: Isa, T: Element, const R: usize, const K: usize, const C: usize>(
    g: &[[T; R]; C],
    w: &[[T; K]; C],
    out: &mut [[T; R]; K],
) {
    if const { R == 1 } {
        let out = out.as_flattened_mut();
        for (g_col, w_col) in g.iter().zip(w) {
            let s = g_col[0];
            for (o, &x) in out.iter_mut().zip(w_col) {
                *o = x.mul_add(s, *o);
            }
        }
    } else {
        // The panel `transposed_tiled` copies columns of `w` into: its size is a constant
        // here, so it lives on the stack.
        let mut panel = [[T::ZERO; PANEL]; C];
        let (g, w, out) = (g.as_flattened(), w.as_flattened(), out.as_flattened_mut());
        if I::INLINE {
            // As `affine_columns`: the tile height chosen at compile time.
            let panel = panel.as_flattened_mut();
            with_height!(const { tile_height(I::WIDEST_ROWS, R) }; MR =>
                transposed::<I, T, MR>(g, Fixed::<R>, w, out, panel));
        } else {
            T::transpose_b_batch(I::LEVEL, g, R, w, out, panel.as_flattened_mut());
        }
    }
}

/// A batch's `out += g · wᵀ` with `I`, in the tallest register tile that divides the batch
/// (`rows`) and fits `I`'s registers, else a column at a time. `g` holds its columns of
/// `rows` values one after another, `w` its columns, `out` the result's columns of `rows`
/// values; `panel` is room for [`PANEL`] values of each column of `w`.
#[inline(always)]
pub(super) fn transpose_b_batch<I: Isa, T: Element>(
    g: &[T],
    rows: usize,
    w: &[T],
    out: &mut [T],
    panel: &mut [T],
) {
    with_height!(tile_height(I::WIDEST_ROWS, rows); MR => transposed::<I, T, MR>(g, rows, w, out, panel));
}

/// [`transposed_tiled`] in tiles of `MR` rows, or one column at a time where `MR` is 1 (a
/// batch no tile height divides).
#[inline(always)]
fn transposed<I: Isa, T: Element, const MR: usize>(
    g: &[T],
    rows: impl Count,
    w: &[T],
    out: &mut [T],
    panel: &mut [T],
) {
    if const { MR == 1 } {
        if let Some(inputs) = inputs_of(g, rows.get(), w) {
            add_columns_one_by_one(g, rows.get(), w, inputs, 0, out);
        }
    } else {
        transposed_tiled::<I, T, MR>(g, rows, w, out, panel);
    }
}

/// The inputs of `g · wᵀ` (`w`'s column length), if the product has any terms and inputs.
fn inputs_of<T>(g: &[T], rows: usize, w: &[T]) -> Option<usize> {
    let units = g.len().checked_div(rows).filter(|&units| units > 0)?;
    w.len().checked_div(units).filter(|&inputs| inputs > 0)
}

/// `out += g · wᵀ` for the columns of `out` given (of `rows` values each), the first of
/// them column `first` of the product, one column at a time; `w`'s columns are `inputs`
/// long.
#[inline(always)]
fn add_columns_one_by_one<T: Element>(
    g: &[T],
    rows: usize,
    w: &[T],
    inputs: usize,
    first: usize,
    out: &mut [T],
) {
    for (k, out_col) in columns_mut(out, rows).enumerate() {
        for (g_col, w_col) in columns(g, rows).zip(columns(w, inputs)) {
            let Some(&s) = w_col.get(k + first) else { continue };
            for (o, &x) in out_col.iter_mut().zip(g_col) {
                *o = x.mul_add(s, *o);
            }
        }
    }
}

/// Columns of `w` copied side by side before their tiles run: a cache line of `f32`.
const PANEL: usize = 4 * COLUMNS;

/// [`transpose_b_batch`] in tiles of `MR` rows × [`COLUMNS`] columns of `out`, then the
/// columns left over one at a time.
///
/// A tile reads 4 neighbouring values from each column of `w`, and the columns are a
/// layer's width apart: for a 1024-wide layer, 4 kB, so every read maps to the same few
/// cache sets and the lines are evicted before the next tiles use the rest of them. So the
/// values of [`PANEL`] columns of `out` are first copied from `w` into one contiguous panel
/// (each line of `w` read once), and the tiles read the panel in order.
#[inline(always)]
fn transposed_tiled<I: Isa, T: Element, const MR: usize>(
    g: &[T],
    row_count: impl Count,
    w: &[T],
    out: &mut [T],
    panel: &mut [T],
) {
    let rows = row_count.get();
    let Some(inputs) = inputs_of(g, rows, w) else { return };
    let units = w.len() / inputs;
    let Some(panel) = panel.get_mut(..units * PANEL) else { return };
    let panels = inputs / PANEL;
    let (out_panels, out_rest) = out.split_at_mut((panels * PANEL * rows).min(out.len()));
    for (p, out_panel) in columns_mut(out_panels, PANEL * rows).enumerate() {
        for (dst, w_col) in columns_mut(panel, PANEL).zip(columns(w, inputs)) {
            if let Some(src) = w_col.get(p * PANEL..(p + 1) * PANEL) {
                dst.copy_from_slice(src);
            }
        }
        for (block, out_block) in columns_mut(out_panel, COLUMNS * rows).enumerate() {
            I::transposed_tiles::<T, MR, _>(g, row_count, panel, PANEL, block, out_block);
        }
    }
    // Fewer than `PANEL` columns left: whole tiles from a narrower panel, then one by one.
    let done = panels * PANEL;
    let blocks = (inputs - done) / COLUMNS;
    let (out_blocks, out_columns) =
        out_rest.split_at_mut((blocks * COLUMNS * rows).min(out_rest.len()));
    let Some(narrow) = panel.get_mut(..units * COLUMNS) else { return };
    for (b, out_block) in columns_mut(out_blocks, COLUMNS * rows).enumerate() {
        let first = done + b * COLUMNS;
        for (dst, w_col) in columns_mut(narrow, COLUMNS).zip(columns(w, inputs)) {
            if let Some(src) = w_col.get(first..first + COLUMNS) {
                dst.copy_from_slice(src);
            }
        }
        I::transposed_tiles::<T, MR, _>(g, row_count, narrow, COLUMNS, 0, out_block);
    }
    add_columns_one_by_one(g, rows, w, inputs, done + blocks * COLUMNS, out_columns);
}

/// Columns `4 · block .. 4 · block + 4` of a panel's share of `g · wᵀ` added to `out`
/// (those 4 columns' `rows` values one after another), `MR` rows at a time, the tile's
/// accumulators (starting from `out`) in registers over the whole sum. `g` holds its
/// columns of `rows` values one after another; the panel holds, for each column `c` of `g`,
/// `width` neighbouring values of column `c` of `w`. Each instruction set runs it in a
/// function of its own that is never inlined, as [`tiles`].
#[inline(always)]
pub(super) fn transposed_tiles<I: Isa, T: Element, const MR: usize>(
    g: &[T],
    rows: usize,
    panel: &[T],
    width: usize,
    block: usize,
    out: &mut [T],
) {
    if rows == 0 || width == 0 {
        return;
    }
    for r0 in (0..rows).step_by(MR) {
        let mut acc = [[T::ZERO; MR]; COLUMNS];
        for (j, acc_col) in acc.iter_mut().enumerate() {
            *acc_col = window::<T, MR>(out, j * rows + r0).copied().unwrap_or(*acc_col);
        }
        for (g_col, values) in columns(g, rows).zip(columns(panel, width)) {
            // `get`, not an index: the caller's `block` is always in range, but an index
            // left a panic path in firmware that trains a 64 → 32 → 10 network.
            let (Some(g_rows), Some(scalars)) =
                (window::<T, MR>(g_col, r0), window::<T, COLUMNS>(values, block * COLUMNS))
            else {
                return;
            };
            for (acc_col, &s) in acc.iter_mut().zip(scalars) {
                for (c, &x) in acc_col.iter_mut().zip(g_rows) {
                    *c = I::mul_add(x, s, *c);
                }
            }
        }
        for (j, acc_col) in acc.iter().enumerate() {
            if let Some(out_rows) = window_mut::<T, MR>(out, j * rows + r0) {
                *out_rows = *acc_col;
            }
        }
    }
}

/// The `N` values of `values` from `at` on, if there are that many.
#[inline(always)]
fn window<T, const N: usize>(values: &[T], at: usize) -> Option<&[T; N]> {
    values.get(at..)?.first_chunk::<N>()
}

/// The `N` values of `values` from `at` on, mutably, if there are that many.
#[inline(always)]
fn window_mut<T, const N: usize>(values: &mut [T], at: usize) -> Option<&mut [T; N]> {
    values.get_mut(at..)?.first_chunk_mut::<N>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{rng, uniform};

    /// Every column goes to exactly one tile; with tiles of 6, at most one column (or all
    /// of fewer than 4) to a tile of one, and at most one tile of 6 given back to tiles of
    /// 4; with tiles of 4 at most, fewer than 4 left over, as before tiles of 6 existed.
    #[test]
    fn column_tiles_cover_every_column_once() {
        assert_eq!(column_tiles(128, 6), (20, 2));
        assert_eq!(column_tiles(128, 4), (0, 32));
        assert_eq!(column_tiles(10, 6), (1, 1));
        assert_eq!(column_tiles(2, 6), (0, 0));
        for columns in 0..200 {
            let (wide, four) = column_tiles(columns, 6);
            let left = columns - wide * 6 - four * COLUMNS;
            assert!(left <= 1 || (columns < COLUMNS && left == columns), "{columns}");
            assert!(wide == columns / 6 || wide + 1 == columns / 6, "{columns}");
            let (wide, four) = column_tiles(columns, COLUMNS);
            assert_eq!((wide, columns - four * COLUMNS), (0, columns % COLUMNS));
        }
    }

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
        affine_in::<crate::kernels::isa::Build, f32, R, K, C>(
            &a.data.0,
            &b.data.0,
            &bias.data.0,
            &mut out.data.0,
        );
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
