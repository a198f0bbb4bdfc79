//! The end of a dot product: its [`LANES`] partial sums added into one total, halves onto
//! halves (lane `l` plus lane `l + 8`, then `l + 4`, `l + 2`, `l + 1`).
//!
//! One sample's product through a layer ends in one such reduction per unit. Written in
//! plain Rust, LLVM compiles it to 15 scalar adds and the shuffles that take each lane out
//! of its vector; with AVX-512 `f32`, four units' reductions run side by side as whole
//! vectors instead ([`pairwise4_avx512`]), in the same order, so to the same bits.

use super::LANES;
use core::ops::Add;

// The halving steps below are spelt out for 16 partial sums.
const _: () = assert!(LANES == 16);

/// The [`LANES`] partial sums of one dot product, added halves onto halves.
#[inline(always)]
pub(crate) fn pairwise<T: Copy + Add<Output = T>>(acc: &[T; LANES]) -> T {
    // Each step into fresh values of its own width: written in place, the same steps were
    // slower (BENCHMARKS.md, "Measurements behind the kernels' shape"). Spelt out rather
    // than built with `array::from_fn`, whose closure LLVM may leave un-inlined at
    // opt-level "s", with a bounds check (a panic path) for each index.
    let [a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15] = *acc;
    let s8 = [a0 + a8, a1 + a9, a2 + a10, a3 + a11, a4 + a12, a5 + a13, a6 + a14, a7 + a15];
    let s4 = [s8[0] + s8[4], s8[1] + s8[5], s8[2] + s8[6], s8[3] + s8[7]];
    let s2 = [s4[0] + s4[2], s4[1] + s4[3]];
    s2[0] + s2[1]
}

/// [`pairwise`] for four dot products at once.
#[inline(always)]
pub(crate) fn pairwise4<T: Copy + Add<Output = T>>(acc: &[[T; LANES]; 4]) -> [T; 4] {
    [pairwise(&acc[0]), pairwise(&acc[1]), pairwise(&acc[2]), pairwise(&acc[3])]
}

/// [`pairwise4`] for `f32` in AVX-512 vectors: about a dozen vector instructions where the
/// scalar form takes 60 adds and about as many shuffles.
///
/// The only target-specific code in the kernels, and it exists only in builds that enable
/// AVX-512 (`-C target-cpu=native` on such a machine), where the scalar form was a large
/// share of one-sample inference through a 784 → 128 layer (BENCHMARKS.md, "The partial
/// sums' reduction").
#[cfg(all(target_arch = "x86_64", target_feature = "avx512f"))]
#[inline(always)]
pub(crate) fn pairwise4_avx512(acc: &[[f32; LANES]; 4]) -> [f32; 4] {
    // SAFETY: the only requirement of a `#[target_feature]` function is that the CPU has
    // the feature. This function is compiled only when the whole build assumes AVX-512F
    // (the `cfg` above), so every caller, and the code around it, already does.
    #[allow(unsafe_code)]
    unsafe {
        avx512::pairwise4(acc)
    }
}

/// [`pairwise4_avx512`] in a build that does not assume AVX-512: for the kernels compiled
/// for it and chosen at run time (`kernels::isa`).
///
/// # Safety
/// The processor runs AVX-512F.
#[cfg(target_arch = "x86_64")]
#[inline]
#[allow(unsafe_code)]
pub(crate) unsafe fn pairwise4_avx512_unchecked(acc: &[[f32; LANES]; 4]) -> [f32; 4] {
    // SAFETY: the caller's contract.
    unsafe { avx512::pairwise4(acc) }
}

#[cfg(target_arch = "x86_64")]
mod avx512 {
    use super::LANES;
    use core::arch::x86_64::{
        __m512, _mm_cvtss_f32, _mm512_add_ps, _mm512_extractf32x4_ps, _mm512_permute_ps,
        _mm512_set_ps, _mm512_shuffle_f32x4,
    };

    /// One column's partial sums as a vector (lane `l` is `acc[l]`; LLVM makes it one load).
    #[inline]
    #[target_feature(enable = "avx512f")]
    fn vector(a: &[f32; LANES]) -> __m512 {
        let [a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15] = *a;
        _mm512_set_ps(a15, a14, a13, a12, a11, a10, a9, a8, a7, a6, a5, a4, a3, a2, a1, a0)
    }

    /// Columns `a` and `b` halved: lanes 0..8 are `a[l] + a[l + 8]`, lanes 8..16 are `b`'s.
    #[inline]
    #[target_feature(enable = "avx512f")]
    fn halves(a: __m512, b: __m512) -> __m512 {
        // 128-bit blocks (0, 1) of a and of b, plus blocks (2, 3) of a and of b.
        let low = _mm512_shuffle_f32x4::<0b01_00_01_00>(a, b);
        let high = _mm512_shuffle_f32x4::<0b11_10_11_10>(a, b);
        _mm512_add_ps(low, high)
    }

    /// [`super::pairwise4`], step by step, a whole vector at a time.
    #[inline]
    #[target_feature(enable = "avx512f")]
    pub(super) fn pairwise4(acc: &[[f32; LANES]; 4]) -> [f32; 4] {
        let [a, b, c, d] = acc;
        let ab = halves(vector(a), vector(b));
        let cd = halves(vector(c), vector(d));
        // Block k of `quarters` is column k's four sums `s8[q] + s8[q + 4]`: even blocks
        // (each column's first four of eight) plus odd ones.
        let even = _mm512_shuffle_f32x4::<0b10_00_10_00>(ab, cd);
        let odd = _mm512_shuffle_f32x4::<0b11_01_11_01>(ab, cd);
        let quarters = _mm512_add_ps(even, odd);
        // Within each block, lane q plus lane q + 2 (as 2 + 0: the same sum), then lane 0
        // plus lane 1: column k's total in lane 4k.
        let pairs = _mm512_add_ps(quarters, _mm512_permute_ps::<0b01_00_11_10>(quarters));
        let totals = _mm512_add_ps(pairs, _mm512_permute_ps::<0b10_11_00_01>(pairs));
        [
            _mm_cvtss_f32(_mm512_extractf32x4_ps::<0>(totals)),
            _mm_cvtss_f32(_mm512_extractf32x4_ps::<1>(totals)),
            _mm_cvtss_f32(_mm512_extractf32x4_ps::<2>(totals)),
            _mm_cvtss_f32(_mm512_extractf32x4_ps::<3>(totals)),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Partial sums whose pairwise total differs from a left-to-right sum in `f32`, and
    /// from other orders, so that a step in the wrong order changes the bits.
    fn awkward(column: usize) -> [f32; LANES] {
        core::array::from_fn(|l| {
            let big = if (l + column).is_multiple_of(3) { 1.0e8 } else { 1.0 };
            let sign = if (l * 7 + column).is_multiple_of(2) { 1.0 } else { -1.0 };
            sign * big * (1.0 + 0.123_457 * (l as f32 + 0.37 * column as f32))
        })
    }

    #[test]
    fn pairwise_adds_halves_onto_halves() {
        let acc: [f64; LANES] = core::array::from_fn(|l| (1u64 << l) as f64);
        assert_eq!(pairwise(&acc), 65535.0);
        // The order: ((a0 + a8) + (a4 + a12)) + ((a2 + a10) + (a6 + a14)) + …, checked
        // against the same tree written out, on sums where the order shows.
        let a = awkward(1);
        let s = |l: usize| (a[l] + a[l + 8]) + (a[l + 4] + a[l + 12]);
        let expected = (s(0) + s(2)) + (s(1) + s(3));
        assert_eq!(pairwise(&a).to_bits(), expected.to_bits());
        let left_to_right: f32 = a.iter().sum();
        assert_ne!(
            pairwise(&a).to_bits(),
            left_to_right.to_bits(),
            "the test data must tell orders apart"
        );
    }

    #[cfg(all(target_arch = "x86_64", target_feature = "avx512f"))]
    #[test]
    fn avx512_gives_the_bits_of_the_scalar_order() {
        for shift in 0..8 {
            let acc: [[f32; LANES]; 4] = core::array::from_fn(|c| awkward(c + shift));
            let expected = pairwise4(&acc).map(f32::to_bits);
            assert_eq!(pairwise4_avx512(&acc).map(f32::to_bits), expected, "shift {shift}");
        }
    }
}
