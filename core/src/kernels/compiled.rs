//! The kernels whose sizes are arguments, compiled once, in this crate, for `f32` and
//! `f64`: a batch's product in register tiles, one sample's dot products, the input
//! gradient's tiles, and the weight gradient's tiles with the transposition they read.
//!
//! A generic function is compiled in the crate that uses it, once for each set of generic
//! arguments. Written with the layer's sizes as constants, these loops were compiled in
//! the user's crate for every layer, batch size and instruction set (three on x86-64):
//! most of a network's build time, rebuilt on every change to the user's code
//! (BENCHMARKS.md, "Compile time"). Here they are methods of a sealed trait, implemented
//! for each element type by functions that are not generic and never inlined: compiled
//! once, with this crate, and only called from the user's. What stays generic and inlined
//! into the user's code is the shape-specific part around them: the choice among these
//! kernels, the split across cores, and the loops that feed an optimizer.
//!
//! The instruction set is an argument too (the `Level` the caller's variant has), and
//! so is a tile's height where the caller chose it: each call picks among a handful of
//! compiled functions with one `match`, against hundreds of multiply-adds per call.

use super::isa::{Isa, Level, with_isa};
use super::with_height;
use super::{COLUMNS, matmul, update};

/// The kernels compiled for one element type (implemented for `f32` and `f64`; `Element`
/// is sealed). Each slice holds a matrix's columns one after another, as nalgebra stores
/// them.
pub trait Compiled: Sized {
    /// `out = a · b + bias` for one sample: `a` its `K` values, `b` the product's columns
    /// (`K` values each), `out` one value per column (`matmul::affine_one_sample`).
    fn affine_one_sample(
        level: Level,
        a: &[Self],
        b: &[Self],
        bias: &[[Self; 1]],
        out: &mut [Self],
    );

    /// `out = a · b + bias` for a batch of `rows` samples: `a` holds its columns of
    /// `rows` values, `b` the product's columns, `out` the result's columns of `rows`
    /// values (`matmul::affine_batch`).
    fn affine_batch(
        level: Level,
        a: &[Self],
        rows: usize,
        b: &[Self],
        bias: &[[Self; 1]],
        out: &mut [Self],
    );

    /// `out += g · wᵀ` for a batch of `rows` samples: `g` holds its columns of `rows`
    /// values, `w` its columns, `out` the result's columns of `rows` values; `panel` is
    /// room for 16 values of each column of `w` (`matmul::transpose_b_batch`).
    fn transpose_b_batch(
        level: Level,
        g: &[Self],
        rows: usize,
        w: &[Self],
        out: &mut [Self],
        panel: &mut [Self],
    );

    /// The `mr × 4` tile of a weight gradient (`update::tile`) from `packed` (rows of `mr`
    /// inputs, one per sample) and 4 columns of the output's gradient, into `out` (4
    /// columns of `mr`, one after another). `mr` is 64, 16 or 8.
    fn outer_tile(
        level: Level,
        mr: usize,
        packed: &[Self],
        g: [&[Self]; COLUMNS],
        out: &mut [Self],
    );

    /// A block of `mr` inputs (`mr` columns of `rows` samples) transposed into `packed`
    /// (rows of `mr`) for [`outer_tile`](Compiled::outer_tile) (`update::pack`). `mr` is
    /// 64, 16 or 8.
    fn pack(level: Level, mr: usize, x_block: &[Self], rows: usize, packed: &mut [Self]);
}

macro_rules! compiled {
    ($t:ty $(, transpose: $transpose:path)?) => {
        impl Compiled for $t {
            #[inline(never)]
            fn affine_one_sample(
                level: Level,
                a: &[$t],
                b: &[$t],
                bias: &[[$t; 1]],
                out: &mut [$t],
            ) {
                with_isa!(level; I => I::run(
                    #[inline(always)]
                    || matmul::affine_one_sample::<I, $t>(a, b, bias, out),
                ))
            }

            #[inline(never)]
            fn affine_batch(
                level: Level,
                a: &[$t],
                rows: usize,
                b: &[$t],
                bias: &[[$t; 1]],
                out: &mut [$t],
            ) {
                with_isa!(level; I => I::run(
                    #[inline(always)]
                    || matmul::affine_batch::<I, $t>(a, rows, b, bias, out),
                ))
            }

            #[inline(never)]
            fn transpose_b_batch(
                level: Level,
                g: &[$t],
                rows: usize,
                w: &[$t],
                out: &mut [$t],
                panel: &mut [$t],
            ) {
                with_isa!(level; I => I::run(
                    #[inline(always)]
                    || matmul::transpose_b_batch::<I, $t>(g, rows, w, out, panel),
                ))
            }

            #[inline(never)]
            fn outer_tile(
                level: Level,
                mr: usize,
                packed: &[$t],
                g: [&[$t]; COLUMNS],
                out: &mut [$t],
            ) {
                with_isa!(level; I => with_height!(mr; MR => {
                    // Written in place: returned and copied, the tile was a call to
                    // `memmove` (4% of W3's step).
                    if let Some(out) = out.as_chunks_mut::<MR>().0.first_chunk_mut::<COLUMNS>() {
                        let packed = packed.as_chunks::<MR>().0;
                        I::outer_tile::<$t, MR, _>(packed, packed.len(), g, out);
                    }
                }))
            }

            #[inline(never)]
            fn pack(level: Level, mr: usize, x_block: &[$t], rows: usize, packed: &mut [$t]) {
                $(
                    #[cfg(all(feature = "std", target_arch = "x86_64"))]
                    if $transpose(level, mr, x_block, rows, packed) {
                        return;
                    }
                )?
                with_isa!(level; I => with_height!(mr; MR => I::run(
                    #[inline(always)]
                    || update::pack::<$t, MR>(x_block, rows, packed),
                )))
            }
        }
    };
}

compiled!(f32, transpose: super::isa::pack_f32);
compiled!(f64);
