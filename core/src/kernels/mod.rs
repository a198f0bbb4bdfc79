//! The numerical kernels behind the perceptron and the network's training step: loops
//! over nalgebra's column storage (`[[T; R]; C]`, one array per column) whose bounds are
//! constants, shaped so that the compiler vectorises them.
//!
//! Two rules make them fast in plain, portable Rust:
//! - a floating-point sum is never one long chain (the compiler may not reorder it, so a
//!   chain cannot be vectorised): sums run in [`LANES`] independent partial sums, or the
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
//! compiled for AVX2 with FMA and for AVX-512, and [`isa`] picks the best the processor
//! runs, once. Builds without `std` keep the compile-time choice. With AVX-512, one
//! sample's dot products are reduced to their totals four at a time in vector instructions
//! (the crate-private `reduce` module), where LLVM leaves scalar adds; in the same order,
//! so to the same bits.

pub mod exp;
pub mod isa;
pub mod matmul;
#[cfg(feature = "parallel")]
#[cfg_attr(docsrs, doc(cfg(feature = "parallel")))]
pub mod parallel;
pub(crate) mod reduce;
pub mod update;

use crate::Element;

/// How many partial sums a dot product keeps: enough for one AVX-512 vector of `f32`.
pub const LANES: usize = 16;

/// How many vectors of [`LANES`] partial sums a long dot product keeps: independent
/// chains of multiply-adds, enough to hide the FMA's latency where one vector of 16 `f32`
/// is one register (4 with AVX-512) or two (2 with AVX2). Elsewhere one: four SSE
/// registers already make four chains (and more only add loads' pressure), and a
/// microcontroller's 32 FPU registers are full with 16 scalar sums.
pub const DOT_CHAINS: usize = if cfg!(target_feature = "avx512f") {
    4
} else if cfg!(target_feature = "avx2") {
    2
} else {
    1
};

/// `Σ a_i b_i`, in [`DOT_CHAINS`] × [`LANES`] partial sums added pairwise at the end.
#[inline(always)]
pub fn dot<T: Element>(a: &[T], b: &[T]) -> T {
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
