//! The numerical kernels behind the perceptron and the network's training step: loops
//! over nalgebra's column storage (`[[T; R]; C]`, one array per column) whose bounds are
//! constants, shaped so that the compiler vectorises them.
//!
//! Two rules make them fast without `unsafe` or target-specific code:
//! - a floating-point sum is never one long chain (the compiler may not reorder it, so a
//!   chain cannot be vectorised): sums run in [`LANES`] independent partial sums, or the
//!   loop is turned so that the vector runs across independent outputs;
//! - multiply-adds go through [`Element::mul_add`](crate::Element::mul_add), one FMA
//!   instruction where the target has it.
//!
//! The summation order therefore differs from a naive loop; the tests compare every
//! kernel with a plain triple loop in `f64` on random shapes, odd sizes included.

pub mod exp;
pub mod matmul;
pub mod update;

use crate::Element;

/// How many partial sums a dot product keeps: enough for one AVX-512 vector of `f32`.
pub const LANES: usize = 16;

/// `Σ a_i b_i`, in [`LANES`] partial sums added pairwise at the end.
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
    let mut acc = [T::ZERO; LANES];
    for (x, y) in a_chunks.iter().zip(b_chunks) {
        for l in 0..LANES {
            acc[l] = x[l].mul_add(y[l], acc[l]);
        }
    }
    let mut width = LANES;
    while width > 1 {
        width /= 2;
        for l in 0..width {
            acc[l] += acc[l + width];
        }
    }
    let mut total = acc[0];
    for (&x, &y) in a_tail.iter().zip(b_tail) {
        total = x.mul_add(y, total);
    }
    total
}
