//! The numerical kernels behind the perceptron and the network's training step: loops
//! over nalgebra's column storage (`[[T; R]; C]`, one array per column, seen here as one
//! slice of columns one after another), shaped so that the compiler vectorises them.
//!
//! The layer's sizes are constants in the generated code that calls them, but the loops
//! that carry a large product take them as arguments: they are compiled once, in this
//! crate, for `f32` and `f64` (`compiled`), and a user's crate only calls them, where
//! generic kernels were compiled there again for every layer, batch and instruction set.
//! A product of fewer than 4096 multiply-adds (`isa::SMALL`) keeps its loops inlined,
//! its sizes constants, where a call would cost more than the work.
//!
//! Two rules make them fast in plain, portable Rust:
//! - a floating-point sum is never one long chain (the compiler may not reorder it, so a
//!   chain cannot be vectorised): sums run in `LANES` (16) independent partial sums, or the
//!   loop is turned so that the vector runs across independent outputs;
//! - multiply-adds go through [`Element::mul_add`], one FMA
//!   instruction where the target has it.
//!
//! The summation order therefore differs from a naive loop; the tests compare every
//! kernel with a plain triple loop in `f64` on random shapes, odd sizes included.
//!
//! A default `cargo build --release` targets the architecture's baseline (SSE2 on
//! x86-64), so the loops that carry a large layer (the product's register tiles, one
//! sample's dot products, the weight gradient's and the input gradient's tiles) are also
//! compiled for AVX2 with FMA and for AVX-512, and the `isa` module picks the best the processor
//! runs, once. Builds without `std` keep the compile-time choice. With AVX-512, one
//! sample's dot products are reduced to their totals four at a time in vector instructions
//! (the crate-private `reduce` module), where LLVM leaves scalar adds; in the same order,
//! so to the same bits.
//!
//! Of all this, a user needs two switches, which are the module's whole public part: which
//! instruction set the kernels chose ([`selected`]), and whether large layers split across
//! two cores (`parallel`, with the `parallel` feature). The kernels themselves are the
//! crate's own: their shapes follow the perceptron's and the generated code's needs, and
//! change with them.

pub(crate) mod compiled;
pub(crate) mod elementwise;
pub(crate) mod exp;
pub(crate) mod isa;
pub(crate) mod matmul;
#[cfg(feature = "parallel")]
#[cfg_attr(docsrs, doc(cfg(feature = "parallel")))]
pub mod parallel;
pub(crate) mod reduce;
pub(crate) mod steps;
pub(crate) mod update;

pub use isa::selected;

use crate::Element;

// The shapes of the register tiles, which the products, the updates and the split across
// cores share.

/// The widest row tile the build's target's vector registers hold four columns of (in
/// elements), decided at compile time from the target features (the build's own variant;
/// the others have their own, `kernels::isa`): 64 with AVX-512 (four 16-wide
/// vectors of `f32` per column, 16 accumulators), 16 with AVX2, 8 otherwise.
pub(crate) const WIDEST_ROWS: usize = if cfg!(target_feature = "avx512f") {
    64
} else if cfg!(target_feature = "avx2") {
    16
} else {
    8
};

/// A size the never-inlined tiles take (a batch's rows, a product's terms): a constant
/// ([`Fixed`]) where a small product's loops are inlined with the layer's sizes, a value
/// ([`usize`]) in the kernels compiled once (`compiled`). Each tile function is compiled
/// for the kinds it is given: the compiled kernels' once, a small product's for its
/// sizes, whose loops then unroll (with both counts values, the Cortex-M4F's training
/// step of the 2 → 16 → 2 network took 8% more instructions).
pub(crate) trait Count: Copy {
    /// The size.
    fn get(self) -> usize;
}

impl Count for usize {
    #[inline(always)]
    fn get(self) -> usize {
        self
    }
}

/// The size `R`, known at compile time.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Fixed<const R: usize>;

impl<const R: usize> Count for Fixed<R> {
    #[inline(always)]
    fn get(self) -> usize {
        R
    }
}

/// The height of the register tiles a batch of `rows` samples is cut into, for an
/// instruction set whose tallest tile is `widest` rows: the tallest of 64, 32, 16 and 8
/// that divides the batch and fits, else 1 (rows one at a time).
pub(crate) const fn tile_height(widest: usize, rows: usize) -> usize {
    if widest >= 64 && rows.is_multiple_of(64) {
        64
    } else if widest >= 64 && rows.is_multiple_of(32) {
        // Two vectors per column: 8 accumulators, twice the chains of a 16-row tile.
        32
    } else if widest >= 16 && rows.is_multiple_of(16) {
        16
    } else if rows.is_multiple_of(8) {
        8
    } else {
        1
    }
}

/// Runs `$body` with `$MR` a constant equal to `$height`, one of the tile heights
/// [`tile_height`] gives; any other value does nothing. Given a constant (`const { … }`),
/// the compiler generates the one arm it takes.
macro_rules! with_height {
    ($height:expr; $MR:ident => $body:expr) => {
        match $height {
            64 => {
                const $MR: usize = 64;
                $body
            }
            32 => {
                const $MR: usize = 32;
                $body
            }
            16 => {
                const $MR: usize = 16;
                $body
            }
            8 => {
                const $MR: usize = 8;
                $body
            }
            1 => {
                const $MR: usize = 1;
                $body
            }
            _ => {}
        }
    };
}
pub(crate) use with_height;

/// Columns per tile: each row vector loaded from `a` feeds this many multiply-adds. The
/// tiles of the input and weight gradients have this many; a batch's product has tiles
/// this wide or as wide as [`TILE_COLUMNS`].
pub(crate) const COLUMNS: usize = 4;

/// The widest tile of a batch's product in the build's own code (`Isa::TILE_COLUMNS`): 6
/// with AVX2 and FMA, whose 16 registers hold a 16-row tile's 12 accumulators, 4 otherwise
/// (with AVX-512 a tile of 64 rows × 4 columns has 16 already).
pub(crate) const TILE_COLUMNS: usize = if cfg!(all(
    target_feature = "avx2",
    target_feature = "fma",
    not(target_feature = "avx512f")
)) {
    6
} else {
    COLUMNS
};

/// How many of one sample's dot products run side by side in the build's own code (x86-64:
/// 4 with AVX2 or AVX-512, whose 16 or 32 registers hold 4 columns' partial sums; 2 with
/// SSE, whose 16 registers hold 2 columns' 8 vectors). The AVX-512 variant chosen at run
/// time takes 8 (`kernels::isa`). Each value of the sample loaded serves them all,
/// which halves the loads of one dot product at a time (loads, not multiply-adds, are
/// what limits it). Elsewhere 1: on a microcontroller the [`LANES`] scalar partial sums of
/// one column already fill the FPU's registers.
pub(crate) const ONE_ROW_COLUMNS: usize =
    if cfg!(any(target_feature = "avx2", target_feature = "avx512f")) {
        4
    } else if cfg!(target_feature = "sse2") {
        2
    } else {
        1
    };

/// How many partial sums a dot product keeps: enough for one AVX-512 vector of `f32`.
pub(crate) const LANES: usize = 16;

/// How many vectors of [`LANES`] partial sums a long dot product keeps: independent
/// chains of multiply-adds, enough to hide the FMA's latency where one vector of 16 `f32`
/// is one register (4 with AVX-512) or two (2 with AVX2). Elsewhere one: four SSE
/// registers already make four chains (and more only add loads' pressure), and a
/// microcontroller's 32 FPU registers are full with 16 scalar sums.
pub(crate) const DOT_CHAINS: usize = if cfg!(target_feature = "avx512f") {
    4
} else if cfg!(target_feature = "avx2") {
    2
} else {
    1
};

/// The columns of a matrix stored one after another, `len` values each (none if `len` is
/// 0): `chunks_exact(len)` without its division. Zipped with another iterator of the kind,
/// `chunks_exact` divides by `len` to count them, and where LLVM did not inline the zip's
/// constructor, the firmware's no-panic proof found a division by zero it could not rule
/// out. Zipped with slices in a hot loop it keeps a bound of its own beside theirs: the
/// product's tile (`matmul::tiles`), 16 multiply-adds a term, walks its columns by one
/// index instead.
pub(crate) fn columns<T>(values: &[T], len: usize) -> impl Iterator<Item = &[T]> {
    let mut rest = values;
    core::iter::from_fn(move || {
        let (column, after) = rest.split_at_checked(len).filter(|_| len > 0)?;
        rest = after;
        Some(column)
    })
}

/// [`columns`], mutably.
pub(crate) fn columns_mut<T>(values: &mut [T], len: usize) -> impl Iterator<Item = &mut [T]> {
    let mut rest = values;
    core::iter::from_fn(move || {
        if len == 0 {
            return None;
        }
        let (column, after) = core::mem::take(&mut rest).split_at_mut_checked(len)?;
        rest = after;
        Some(column)
    })
}

/// `Σ a_i b_i`, in [`DOT_CHAINS`] × [`LANES`] partial sums added pairwise at the end.
#[inline(always)]
pub(crate) fn dot<T: Element>(a: &[T], b: &[T]) -> T {
    if a.len() < LANES {
        // Short products (a 2-input layer) skip the partial sums: adding up 16 zeros
        // costs more than the product (the same result: the sums would all be 0).
        let mut total = T::ZERO;
        for (&x, &y) in a.iter().zip(b) {
            total = x.mul_add(y, total);
        }
        return total;
    }
    let (a_chunks, a_tail) = a.as_chunks::<LANES>();
    let (b_chunks, b_tail) = b.as_chunks::<LANES>();
    let (a_groups, a_rest) = a_chunks.as_chunks::<DOT_CHAINS>();
    let (b_groups, b_rest) = b_chunks.as_chunks::<DOT_CHAINS>();
    let mut chains = [[T::ZERO; LANES]; DOT_CHAINS];
    for (xs, ys) in a_groups.iter().zip(b_groups) {
        for ((acc, x), y) in chains.iter_mut().zip(xs).zip(ys) {
            for l in 0..LANES {
                acc[l] = x[l].mul_add(y[l], acc[l]);
            }
        }
    }
    let (first, others) = chains.split_at_mut(1);
    let Some(acc) = first.first_mut() else { return T::ZERO };
    for (x, y) in a_rest.iter().zip(b_rest) {
        for l in 0..LANES {
            acc[l] = x[l].mul_add(y[l], acc[l]);
        }
    }
    for other in others.iter() {
        for l in 0..LANES {
            acc[l] += other[l];
        }
    }
    let mut total = reduce::pairwise(acc);
    for (&x, &y) in a_tail.iter().zip(b_tail) {
        total = x.mul_add(y, total);
    }
    total
}

#[cfg(test)]
mod tests {
    use super::{columns, columns_mut, tile_height};

    #[test]
    fn columns_are_whole_runs_of_their_length() {
        let values = [1, 2, 3, 4, 5, 6, 7];
        let runs: Vec<&[i32]> = columns(&values, 3).collect();
        assert_eq!(runs, [&[1, 2, 3][..], &[4, 5, 6]], "the 7th value is no whole column");
        assert_eq!(columns(&values, 0).count(), 0, "no columns of length 0, not endless ones");
        assert_eq!(columns(&values[..0], 2).count(), 0);
        let mut values = values;
        for column in columns_mut(&mut values, 2) {
            column.reverse();
        }
        assert_eq!(values, [2, 1, 4, 3, 6, 5, 7]);
        assert_eq!(columns_mut(&mut values, 0).count(), 0);
    }

    #[test]
    fn tile_heights_divide_the_batch_and_fit_the_registers() {
        assert_eq!(tile_height(64, 128), 64);
        assert_eq!(tile_height(64, 96), 32);
        assert_eq!(tile_height(16, 96), 16);
        assert_eq!(tile_height(16, 40), 8);
        assert_eq!(tile_height(8, 64), 8);
        assert_eq!(tile_height(64, 12), 1);
        for widest in [8, 16, 64] {
            for rows in 1..300 {
                let height = tile_height(widest, rows);
                assert!(rows.is_multiple_of(height) && height <= widest, "{widest} {rows}");
            }
        }
    }
}
