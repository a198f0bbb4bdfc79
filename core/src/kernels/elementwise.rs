//! The activations' loops that evaluate `exp`: the sigmoid's and the softmax's.
//!
//! `exp` is a chain of about ten multiply-adds per value. On a default x86-64 build each
//! is a multiply and then an add (SSE2 has no FMA), so, like the products, these loops
//! also run in the variants chosen at run time (`kernels::isa`), where each multiply-add
//! is one FMA, rounded once: `exp` then takes fewer instructions and a shorter chain.
//!
//! A loop over at least [`WIDE_FROM`] values runs in the variant the large products use
//! (AVX-512 or AVX2). A shorter one is inlined into its caller, in the arithmetic of the
//! pass that calls it: inside a network's step or inference, which runs in the AVX2
//! variant (`kernels::isa`, `__widest_pass!`), its `exp`s are fused there; elsewhere it is
//! the build's. Entered on its own for 16 values, the AVX2 variant cost more than it saved
//! (`benches/transitions.rs`: a 2 → 16 → 2 inference took 85 ns against 72 as built);
//! entered once for the whole pass it is cheaper than either (BENCHMARKS.md, "A step in
//! the widest variant").
//!
//! Without `std`, off x86-64, or where the processor has no FMA (or with
//! `FERROFLOW_ISA=build`), every loop is the build's, with its bits; with FMA the results
//! differ from those in the last bits, which the tests bound.

use super::isa::{Arithmetic, Isa, Small, SmallFused, with_isa};
use crate::Element;
use crate::ops::sigmoid::sigmoid_with;
use crate::ops::softmax::softmax_columns;

/// From how many values an element-wise loop runs in the wide variants.
const WIDE_FROM: usize = 256;

/// `σ` of every value of a matrix (its columns), in place, in a pass of arithmetic `M`: a
/// short loop inlined in the pass's arithmetic, a long one in the set the products use.
///
/// The `exp`s are passed as closures, not as functions (`I::exp`): a function item passed
/// as `impl Fn` goes through a shim that LLVM may leave a call, one per value (and compiled
/// for the build's target, where a fused multiply-add is a call to the library's `fmaf`).
#[inline(always)]
pub(crate) fn sigmoid<M: Arithmetic, T: Element, const R: usize, const C: usize>(
    columns: &mut [[T; R]; C],
) {
    let values = columns.as_flattened_mut();
    // Choices on constants (`const`): rustc generates only the branch taken.
    if const { R * C >= WIDE_FROM } {
        with_isa!(I => I::run(
            #[inline(always)]
            || sigmoid_all(values, #[inline(always)] |x| I::exp(x)),
        ));
    } else if const { M::FUSED } {
        sigmoid_all(
            values,
            #[inline(always)]
            |x| SmallFused::exp(x),
        );
    } else {
        sigmoid_all(
            values,
            #[inline(always)]
            |x| Small::exp(x),
        );
    }
}

/// `σ` of every value, with `exp`.
#[inline(always)]
fn sigmoid_all<T: Element>(values: &mut [T], exp: impl Fn(T) -> T) {
    for v in values {
        *v = sigmoid_with(*v, &exp);
    }
}

/// The softmax of each row of a matrix stored column by column, in place
/// (`ops::softmax_in_place`), in a pass of arithmetic `M` (as [`sigmoid`]).
#[inline(always)]
pub(crate) fn softmax<M: Arithmetic, T: Element, const R: usize, const C: usize>(
    columns: &mut [[T; R]; C],
) {
    if const { R * C >= WIDE_FROM } {
        with_isa!(I => I::run(
            #[inline(always)]
            || softmax_columns(columns, #[inline(always)] |x| I::exp(x)),
        ));
    } else if const { M::FUSED } {
        softmax_columns(
            columns,
            #[inline(always)]
            |x| SmallFused::exp(x),
        );
    } else {
        softmax_columns(
            columns,
            #[inline(always)]
            |x| Small::exp(x),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernels::isa::{AsBuilt, Build, Fused};
    #[cfg(all(feature = "std", target_arch = "x86_64"))]
    use crate::kernels::isa::{Avx2, Avx512};
    use crate::kernels::steps::Steps;
    use crate::testing::rng;
    use rand::RngExt;

    /// `I::exp` of every thousandth over `[−87, 88]`, computed in `I`'s variant, and the
    /// largest relative error against libm's `exp` in `f64`.
    fn exps<I: Isa>() -> (Vec<f32>, f64) {
        I::run(
            #[inline(always)]
            || {
                let xs = (-87_000..=88_000).map(|i| i as f32 * 1e-3);
                let values: Vec<f32> = xs.map(I::exp).collect();
                let worst = values
                    .iter()
                    .zip(-87_000..=88_000)
                    .map(|(&v, i)| {
                        let exact = libm::exp(f64::from(i as f32 * 1e-3));
                        (f64::from(v) - exact).abs() / exact
                    })
                    .fold(0.0, f64::max);
                (values, worst)
            },
        )
    }

    /// The ends of `I::exp`'s range, as `exp_f32` documents them.
    fn ends<I: Isa>() {
        I::run(
            #[inline(always)]
            || {
                assert_eq!(I::exp(0.0f32), 1.0, "{}", I::NAME);
                assert_eq!(I::exp(-1e4f32), 0.0, "{}", I::NAME);
                assert_eq!(I::exp(f32::NEG_INFINITY), 0.0, "{}", I::NAME);
                assert!(I::exp(1e4f32).is_finite() && I::exp(1e4f32) > 1e38, "{}", I::NAME);
                assert!(I::exp(f32::NAN).is_nan(), "{}", I::NAME);
            },
        )
    }

    /// The largest distance in units in the last place between two runs of positive
    /// `f32`s.
    fn ulps(a: &[f32], b: &[f32]) -> u32 {
        a.iter().zip(b).map(|(x, y)| x.to_bits().abs_diff(y.to_bits())).max().unwrap_or(0)
    }

    /// Every variant's `exp` keeps `exp_f32`'s bound (relative error below 4e-7 of
    /// libm's), fused or not. The variants with FMA agree with each other to the bit (the
    /// same operations, each rounded once); the build's rounds each product before its
    /// add, and differs from them by at most 1 unit in the last place over the sweep.
    #[test]
    fn every_variants_exp_keeps_the_documented_bound() {
        let (build, worst) = exps::<Build>();
        assert!(worst < 4e-7, "build target: largest relative error {worst:e}");
        ends::<Build>();
        #[cfg(all(feature = "std", target_arch = "x86_64"))]
        {
            let fma = std::is_x86_feature_detected!("fma");
            let mut fused = Vec::new();
            if fma && std::is_x86_feature_detected!("avx2") {
                ends::<Avx2>();
                fused.push((Avx2::NAME, exps::<Avx2>()));
            }
            if fma && std::is_x86_feature_detected!("avx512f") {
                ends::<Avx512>();
                fused.push((Avx512::NAME, exps::<Avx512>()));
            }
            for (name, (values, worst)) in &fused {
                assert!(worst < &4e-7, "{name}: largest relative error {worst:e}");
                let apart = ulps(values, &build);
                assert!(apart <= 1, "{name}: {apart} units in the last place from the build's");
                assert_eq!(ulps(values, &fused[0].1.0), 0, "{name} and {}", fused[0].0);
            }
        }
    }

    /// Values in `[-20, 20)`: the sigmoid's and the softmax's range of interest and
    /// beyond.
    fn logits<const R: usize, const C: usize>(seed: u64) -> [[f32; R]; C] {
        let mut rng = rng(seed);
        core::array::from_fn(|_| core::array::from_fn(|_| rng.random_range(-20.0f32..20.0)))
    }

    /// The `exp` a dispatched loop uses on this processor: with fused multiply-adds where
    /// the loop takes a variant (`fused`) and the processor has FMA, the build's otherwise.
    fn expected_exp(fused: bool) -> fn(f32) -> f32 {
        if fused && crate::kernels::isa::level() != crate::kernels::isa::Level::Build {
            <f32 as Steps>::fused_exp
        } else {
            <f32 as Element>::fast_exp
        }
    }

    /// The sigmoid of a long loop (in the widest variant where the processor has FMA) and
    /// of a short one (the build's code) computes, value by value, `sigmoid_with` and the
    /// `exp` of that path, to the bit; and each is within 1e-6 of the exact sigmoid.
    #[test]
    fn the_sigmoid_of_each_path_is_its_exp_s_value_by_value() {
        fn check<const R: usize, const C: usize>(seed: u64, fused: bool) {
            let z = logits::<R, C>(seed);
            let mut out = z;
            sigmoid::<AsBuilt, _, R, C>(&mut out);
            let exp = expected_exp(fused);
            for (&v, &z) in out.as_flattened().iter().zip(z.as_flattened()) {
                assert_eq!(v.to_bits(), sigmoid_with(z, exp).to_bits(), "σ({z}) of {R}x{C}");
                let exact = 1.0 / (1.0 + libm::exp(-f64::from(z)));
                assert!((f64::from(v) - exact).abs() < 1e-6, "σ({z}) = {v}, not {exact}");
            }
        }
        check::<64, 128>(1, true);
        check::<16, 16>(2, true);
        check::<1, 16>(3, false);
        check::<5, 7>(4, false);
        // A short loop in a pass of fused arithmetic takes the fused `exp`, on any processor.
        let z = logits::<1, 16>(10);
        let mut out = z;
        sigmoid::<Fused, _, 1, 16>(&mut out);
        for (&v, &z) in out.as_flattened().iter().zip(z.as_flattened()) {
            assert_eq!(v.to_bits(), sigmoid_with(z, <f32 as Steps>::fused_exp).to_bits());
        }
    }

    /// The same for the softmax: a large one (widest variant) and a short one (the build's
    /// code) each give the row-wise arithmetic with the `exp` of its path, to the bit,
    /// within 1e-6 of the exact probabilities.
    #[test]
    fn the_softmax_of_each_path_is_its_exp_s_row_by_row() {
        fn check<const R: usize, const C: usize>(seed: u64, fused: bool) {
            let z = logits::<R, C>(seed);
            let mut out = z;
            softmax::<AsBuilt, _, R, C>(&mut out);
            let exp = expected_exp(fused);
            for r in 0..R {
                let row: Vec<f32> = (0..C).map(|c| z[c][r]).collect();
                let max = row.iter().copied().fold(row[0], |m, v| if v > m { v } else { m });
                let es: Vec<f32> = row.iter().map(|&v| exp(v - max)).collect();
                let total = es.iter().fold(0.0f32, |t, &e| t + e);
                let exact_total: f64 = row.iter().map(|&v| libm::exp(f64::from(v - max))).sum();
                for c in 0..C {
                    let v = out[c][r];
                    assert_eq!(v.to_bits(), (es[c] / total).to_bits(), "({r}, {c}) of {R}x{C}");
                    let exact = libm::exp(f64::from(row[c] - max)) / exact_total;
                    assert!((f64::from(v) - exact).abs() < 1e-6, "({r}, {c}): {v}, not {exact}");
                }
            }
        }
        check::<64, 10>(5, true);
        check::<1, 300>(6, true);
        check::<1, 2>(7, false);
        check::<1, 10>(8, false);
        check::<8, 10>(9, false);
        let z = logits::<1, 10>(11);
        let mut out = z;
        softmax::<Fused, _, 1, 10>(&mut out);
        let es: Vec<f32> = (0..10).map(|c| z[c][0]).collect();
        let max = es.iter().copied().fold(es[0], f32::max);
        let es: Vec<f32> = es.iter().map(|&v| <f32 as Steps>::fused_exp(v - max)).collect();
        let total = es.iter().fold(0.0f32, |t, &e| t + e);
        for c in 0..10 {
            assert_eq!(out[c][0].to_bits(), (es[c] / total).to_bits(), "fused softmax ({c})");
        }
    }
}
