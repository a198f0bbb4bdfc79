//! `e^x` in `f32` as straight-line arithmetic, so that a loop of them vectorises (libm's
//! `expf` is a call per value, with branches).

// The constants of `exp_f32`, shared with the 128-bit kernel of the activations
// (`kernels::elementwise`), which must compute the same bits.

/// Below this, `e^x` is 0 (the results would be subnormal).
pub(super) const LOWEST: f32 = -87.3;
/// Above this, `e^x` is `e^HIGHEST` (the results would overflow).
pub(super) const HIGHEST: f32 = 88.7;
/// `ln 2` in two parts: the high one has few enough bits that `n · LN2_HI` is exact.
pub(super) const LN2_HI: f32 = 0.693_145_75;
/// The rest of `ln 2`.
pub(super) const LN2_LO: f32 = 1.428_606_8e-6;
/// Adding 1.5 · 2^23 pushes the fraction bits out: round to nearest, no branch.
pub(super) const SHIFTER: f32 = 12_582_912.0;
/// The Taylor coefficients `1 / k!` of `e^r`, `k` = 0 to 6 (those of 0 and 1 are 1).
pub(super) const TAYLOR: [f32; 7] =
    [1.0, 1.0, 0.5, 1.0 / 6.0, 1.0 / 24.0, 1.0 / 120.0, 1.0 / 720.0];

/// `e^x` for `f32`: `2^n · p(r)` with `n = round(x / ln 2)`, `r = x − n ln 2` computed in
/// two parts (Cody–Waite), `|r| ≤ ln 2 / 2`, and `p` the degree-6 Taylor polynomial of
/// `e^r`, evaluated by Estrin's scheme with multiply-adds.
///
/// Accuracy, checked against libm's `exp` over `[−87, 88]` in steps of 1e-3 by the tests:
/// relative error below 4e-7 (about 3 units in the last place). The polynomial's own error
/// is `|r|^7 / 7! ≤ 1.2e-7`; the rest is rounding. Outside the range of normal results:
/// `x < −87.3` gives 0 (libm gives subnormals, all below 1.2e-38), `x > 88.7` gives
/// `e^88.7 ≈ 3.3e38` instead of overflowing to infinity, and `NaN` gives `NaN`.
#[inline(always)]
#[allow(
    clippy::redundant_closure,
    reason = "a function item passed as `impl Fn` stays a call through a shim; a closure inlines"
)]
pub fn exp_f32(x: f32) -> f32 {
    exp_f32_with(
        x,
        #[inline(always)]
        |x, y, z| crate::Element::mul_add(x, y, z),
    )
}

/// [`exp_f32`] with the multiply-add `fma`: the build's (then the same bits as
/// [`exp_f32`]) or, in the variants chosen at run time, one rounded once
/// ([`Steps::fused_exp`](super::steps::Steps::fused_exp)), which shortens the chain each
/// value waits on and halves its instructions. The bound above holds for both; the tests
/// check both.
#[inline(always)]
pub(crate) fn exp_f32_with(x: f32, fma: impl Fn(f32, f32, f32) -> f32) -> f32 {
    let tiny = x < LOWEST;
    let x = x.clamp(LOWEST, HIGHEST);
    let t = fma(x, core::f32::consts::LOG2_E, SHIFTER);
    let n = t - SHIFTER;
    let r = fma(n, -LN2_HI, x);
    let r = fma(n, -LN2_LO, r);
    // Estrin's scheme: pairs of terms first, then r² and r⁴ join them, three multiply-adds
    // deep where Horner's rule is six. A softmax of a few values waits on this chain.
    let r2 = r * r;
    let r4 = r2 * r2;
    let low = fma(r2, fma(r, TAYLOR[3], TAYLOR[2]), 1.0 + r);
    let high = fma(r2, TAYLOR[6], fma(r, TAYLOR[5], TAYLOR[4]));
    let p = fma(high, r4, low);
    // `t` is SHIFTER + n exactly (its unit in the last place is 1), so n is the difference
    // of their bits: integer arithmetic that vectorises, where `n as i32` (a saturating
    // conversion) is scalar code on SSE2.
    let n = t.to_bits().wrapping_sub(SHIFTER.to_bits());
    // p · 2^n by adding n to p's exponent field: one integer add where two multiplies
    // would wait on each other. Exact, because the result is a normal number: after the
    // clamp n is in −126..=128, p is above 1 when n is −126 (x ≥ −87.3 leaves r > 0.036)
    // and below 1 when n is 128 (x ≤ 88.7 leaves r < 0).
    let scaled = f32::from_bits(p.to_bits().wrapping_add(n << 23));
    // Selects, not branches: the loop around still vectorises. A NaN's bits would not
    // survive the exponent arithmetic.
    if tiny {
        0.0
    } else if x.is_nan() {
        x
    } else {
        scaled
    }
}

#[cfg(test)]
mod tests {
    use super::exp_f32;

    #[test]
    fn within_4e_7_of_libm_over_the_normal_range() {
        let mut worst = 0.0f64;
        let mut i = -87_000;
        while i <= 88_000 {
            let x = i as f32 * 1e-3;
            let exact = libm::exp(x as f64);
            let error = ((exp_f32(x) as f64) - exact).abs() / exact;
            worst = worst.max(error);
            i += 1;
        }
        assert!(worst < 4e-7, "largest relative error {worst:e}");
    }

    #[test]
    fn the_ends_are_finite_and_zero_is_one() {
        assert_eq!(exp_f32(0.0), 1.0);
        assert_eq!(exp_f32(-1e4), 0.0);
        assert!(exp_f32(1e4).is_finite() && exp_f32(1e4) > 1e38);
        for payload in [0x7fc0_0000u32, 0x7f80_0001, 0xffc0_1234, 0x7fff_ffff] {
            assert!(exp_f32(f32::from_bits(payload)).is_nan(), "NaN {payload:#x}");
        }
        assert_eq!(exp_f32(f32::NEG_INFINITY), 0.0);
    }
}
