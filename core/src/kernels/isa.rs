//! The instruction sets the hot kernels are compiled for, and the choice among them at run
//! time.
//!
//! A user's `cargo build --release` targets the baseline of the architecture (on x86-64:
//! SSE2, no FMA), and a library cannot change that. So the loops that do nearly all of a
//! layer's arithmetic (the product's register tiles, one sample's dot products, the fused
//! weight update with its optimizer's loops) are compiled three times on x86-64 with
//! `std`: for the build's own target (`Build`), for AVX2 with FMA (`Avx2`) and for AVX-512
//! (`Avx512`). The first call looks at the processor once (`level`) and every product
//! after that takes the best its processor runs: one load of a cached byte and a branch.
//!
//! A network's whole step or inference (the code `network!` generates, with its workspace)
//! is entered once in the AVX2 variant too (`__widest_pass!`, on AVX-512 processors as
//! well: `pass_variant`), so that what is inlined
//! into it (activations, `exp`, the loss, products too small to call a kernel) is compiled
//! with the same features. Those small loops are generic over the pass's `Arithmetic`:
//! in a variant they take `SmallFused`, with every multiply-add fused as the large
//! kernels have it; as built, `Small`. Everything between the variant's entry and a fused
//! multiply-add must be inlined (the passes are `#[inline(always)]` in release builds): a
//! function compiled on its own is compiled for the build's target, where `f32::mul_add`
//! is a call to the library's `fmaf` (`scripts/no_fma_calls.sh` checks the examples'
//! binaries for one). The backward passes and the update stay as built (in a step and in
//! `gradients` alike, so that a step is `gradients` then `apply_gradients` to the bit):
//! the update fused was faster (W1 108 against 122 ns) but kept panic paths that the
//! no-panic proof of the optimizers' steps rejects (BENCHMARKS.md).
//!
//! Without `std` (a microcontroller), or on another architecture, `Build` is the only
//! one: the choice is made at compile time, as before.
//!
//! Each instruction set is a type: the kernels' bodies are generic over `Isa`, whose
//! constants (tile heights, columns per sample) and multiply-add suit its registers, and
//! whose methods run the never-inlined loops compiled with its features. The `unsafe` that
//! rests on the processor is here alone: calling a function compiled for AVX2 is sound only
//! on a processor with AVX2, and `Avx2` and `Avx512` are only ever chosen by `level` after
//! it has seen them (the same holds for `pack_f32`, which calls kernels written
//! with AVX-512 and AVX2 intrinsics, `update::pack_f32_avx512` and `pack_f32_avx2`).
//!
//! The results: `Build` is what the kernels computed before this module existed, to the
//! bit. The others multiply-add with FMA (rounded once, where `Build` on an SSE2 target
//! rounds twice) and cut the sums into other tiles, so their results differ from it in the
//! last bits; a test runs every variant the processor has against a triple loop in `f64`,
//! and `SmallFused` against `Avx2` to the bit (each output summed in the same order, with
//! the same roundings; the tiles' widths only decide which outputs share registers).
//! A network's pass in a variant stays within 8 ulp (of each tensor's largest magnitude)
//! of the same pass as built, measured at most 1.7 (`tests/fused_passes.rs`, which runs
//! the build's code in a second process with `FERROFLOW_ISA=build`).

use super::{COLUMNS, Count};
use super::{LANES, matmul, update};
use crate::Element;

/// Products of fewer multiply-adds than this run without asking which set to use, inlined
/// into their caller in its arithmetic ([`Small`] as built, [`SmallFused`] inside a
/// network's pass in the AVX2 variant): at W1's size (2 → 16 → 2, one
/// sample) wider vectors gain nothing and a call costs more than the work. The sizes are
/// constants, so the test costs nothing.
///
/// Without `std` (a microcontroller) every product is: the build's code is the only
/// variant there, and the kernels compiled once with their sizes as values
/// (`kernels::compiled`, which spare a host's rebuilds) cost the Cortex-M4F 4.5% more
/// instructions to train the digits (BENCHMARKS.md, "Compile time").
pub(crate) const SMALL: usize = if cfg!(feature = "std") { 4096 } else { usize::MAX };

/// An instruction set the hot kernels are compiled for.
pub(crate) trait Isa: Copy + 'static {
    /// For messages and benchmarks.
    const NAME: &'static str;
    /// Whether the kernels are inlined into their caller, the layer's sizes constants
    /// there ([`Small`]), instead of called in the versions compiled once in this crate
    /// (`kernels::compiled`).
    const INLINE: bool = false;
    /// The set as a value, for the kernels compiled once for each element type
    /// (`kernels::compiled`), which choose the set at run time.
    const LEVEL: Level;
    /// The tallest tile of rows the vector registers hold four columns of (elements).
    const WIDEST_ROWS: usize;
    /// How many of one sample's dot products run side by side (2, 4 or 8).
    const ONE_ROW_COLUMNS: usize;

    /// `x · y + acc`: one FMA where the set has it.
    fn mul_add<T: Element>(x: T, y: T, acc: T) -> T;

    /// `e^x` as the activations' loops take it (`kernels::elementwise`): `fast_exp`, its
    /// multiply-adds fused where the set has FMA.
    fn exp<T: Element>(x: T) -> T;

    /// Runs `body` compiled with the set's features, so that what is inlined into it (a
    /// fused update's transposition of the batch and its optimizer's loops) uses the set's
    /// registers too, not only the tiles it calls. Mark the closure `#[inline(always)]`.
    fn run<R>(body: impl FnOnce() -> R) -> R;

    /// The widest tile of a batch's product, in columns (`matmul::column_tiles`): 6 where
    /// the tile's `WIDEST_ROWS × 6` accumulators still fit the registers beside a row of
    /// `a` and one value of `b` (AVX2's 16: 12 chains for 2 FMA units of latency 4, where
    /// 4 columns give exactly the 8 they need, and lose their rate whenever a load is late),
    /// else 4.
    const TILE_COLUMNS: usize = COLUMNS;

    /// `matmul::tiles`: the `MR × NC` register tiles of a product. The counts are constants
    /// ([`Fixed`](super::Fixed)) for a small product, values for the compiled kernels.
    fn tiles<T: Element, const MR: usize, const NC: usize, N: Count, K: Count>(
        a: &[T],
        rows: N,
        terms: K,
        b: [&[T]; NC],
        start: Option<&[[T; 1]; NC]>,
        out: &mut [T],
    );

    /// `matmul::dots2`: two dot products of one sample.
    fn dots2<T: Element>(a: &[T], b: [&[T]; 2]) -> [T; 2];

    /// `matmul::dots4`: four dot products of one sample.
    fn dots4<T: Element>(a: &[T], b: [&[T]; 4]) -> [T; 4];

    /// `matmul::dots8`: eight dot products of one sample (where `ONE_ROW_COLUMNS` is 8).
    fn dots8<T: Element>(a: &[T], b: [&[T]; 8]) -> [T; 8] {
        let [b0, b1, b2, b3, b4, b5, b6, b7] = b;
        let [s0, s1, s2, s3] = Self::dots4(a, [b0, b1, b2, b3]);
        let [s4, s5, s6, s7] = Self::dots4(a, [b4, b5, b6, b7]);
        [s0, s1, s2, s3, s4, s5, s6, s7]
    }

    /// `matmul::transposed_tiles`: the `MR × 4` register tiles of 4 columns of `g · wᵀ`,
    /// from a panel of `w`'s values.
    fn transposed_tiles<T: Element, const MR: usize, N: Count>(
        g: &[T],
        rows: N,
        panel: &[T],
        width: usize,
        block: usize,
        out: &mut [T],
    );

    /// `update::tile`: an `MR × 4` tile of a weight gradient, into `out`.
    /// `samples` is the batch's size, a constant for a small product (as in `tiles`).
    fn outer_tile<T: Element, const MR: usize, N: Count>(
        packed: &[[T; MR]],
        samples: N,
        g: [&[T]; COLUMNS],
        out: &mut [[T; MR]; COLUMNS],
    );
}

/// The build's own target: the kernels exactly as the compiler's target features make
/// them (SSE2 on a default x86-64 build, everything the CPU has with
/// `-C target-cpu=native`, the FPU of a Cortex-M4F). `INLINE` is [`Isa::INLINE`].
#[derive(Clone, Copy, Debug)]
pub(crate) struct Build<const INLINE: bool = false>;

/// [`Build`], inlined into the caller: for products of fewer than [`SMALL`] multiply-adds,
/// where a call and sizes known only at run time cost more than the work (W1's 2 → 16
/// → 2 network takes about 85 ns a step). The same arithmetic, so the same bits.
pub(crate) type Small = Build<true>;

/// The arithmetic a network's pass was entered with ([`widest_pass!`](crate::__widest_pass)),
/// which its small products and short loops, inlined into the pass, take: as the build's
/// target has it ([`AsBuilt`]) or with every multiply-add fused ([`Fused`]). A type, not a
/// value, so that a pass compiles only the code of its own. Public only so that the code
/// `network!` generates can name it; no user needs to.
#[doc(hidden)]
pub trait Arithmetic: Copy + 'static {
    /// Whether multiply-adds are rounded once ([`Fused`]).
    const FUSED: bool;
}

/// The build's own arithmetic ([`Small`]): what a pass runs where the processor has no
/// wider variant, and on microcontrollers.
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
pub struct AsBuilt;

impl Arithmetic for AsBuilt {
    const FUSED: bool = false;
}

/// Multiply-adds fused, as in the wide variants ([`SmallFused`]): what a pass runs inside
/// one. Safe anywhere (an FMA is correct on every processor), but fast only there: outside
/// code compiled with FMA, each is a call to the library's `fmaf`.
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
pub struct Fused;

impl Arithmetic for Fused {
    const FUSED: bool = true;
}

/// The kernels of [`Small`] with every multiply-add fused and every loop inlined (none is
/// a function of its own, which would be compiled for the build's target, where a fused
/// multiply-add is a library call): the small products, activations and updates of a pass
/// that runs in a wide variant, compiled there with the variant's features
/// ([`widest_pass!`](crate::__widest_pass)). Vectors as wide as AVX2's.
#[derive(Clone, Copy, Debug)]
pub(crate) struct SmallFused;

impl Isa for SmallFused {
    const NAME: &'static str = "fused, inlined";
    const INLINE: bool = true;
    // Not used: an inlined set never calls the kernels compiled once.
    const LEVEL: Level = Level::Build;
    const WIDEST_ROWS: usize = 16;
    const ONE_ROW_COLUMNS: usize = 4;

    #[inline(always)]
    fn mul_add<T: Element>(x: T, y: T, acc: T) -> T {
        x.fused_mul_add(y, acc)
    }

    #[inline(always)]
    fn exp<T: Element>(x: T) -> T {
        x.fused_exp()
    }

    #[inline(always)]
    fn run<R>(body: impl FnOnce() -> R) -> R {
        body()
    }

    #[inline(always)]
    fn tiles<T: Element, const MR: usize, const NC: usize, N: Count, K: Count>(
        a: &[T],
        rows: N,
        terms: K,
        b: [&[T]; NC],
        start: Option<&[[T; 1]; NC]>,
        out: &mut [T],
    ) {
        matmul::tiles::<Self, T, MR, NC>(a, rows.get(), terms.get(), b, start, out)
    }

    #[inline(always)]
    fn dots2<T: Element>(a: &[T], b: [&[T]; 2]) -> [T; 2] {
        matmul::dots2::<Self, T>(
            a,
            b,
            #[inline(always)]
            |a, b| matmul::partial_sums2::<Self, T>(a, b),
        )
    }

    #[inline(always)]
    fn dots4<T: Element>(a: &[T], b: [&[T]; 4]) -> [T; 4] {
        matmul::dots4::<Self, T>(
            a,
            b,
            #[inline(always)]
            |a, b| matmul::partial_sums4::<Self, T>(a, b),
            #[inline(always)]
            |acc| T::pairwise4(acc),
        )
    }

    #[inline(always)]
    fn transposed_tiles<T: Element, const MR: usize, N: Count>(
        g: &[T],
        rows: N,
        panel: &[T],
        width: usize,
        block: usize,
        out: &mut [T],
    ) {
        matmul::transposed_tiles::<Self, T, MR>(g, rows.get(), panel, width, block, out)
    }

    #[inline(always)]
    fn outer_tile<T: Element, const MR: usize, N: Count>(
        packed: &[[T; MR]],
        samples: N,
        g: [&[T]; COLUMNS],
        out: &mut [[T; MR]; COLUMNS],
    ) {
        update::tile::<Self, T, MR>(packed, samples.get(), g, out)
    }
}

impl<const INLINE: bool> Isa for Build<INLINE> {
    const NAME: &'static str = "build target";
    const INLINE: bool = INLINE;
    const LEVEL: Level = Level::Build;
    const WIDEST_ROWS: usize = super::WIDEST_ROWS;
    const TILE_COLUMNS: usize = super::TILE_COLUMNS;
    const ONE_ROW_COLUMNS: usize = super::ONE_ROW_COLUMNS;

    #[inline(always)]
    fn mul_add<T: Element>(x: T, y: T, acc: T) -> T {
        x.mul_add(y, acc)
    }

    #[inline(always)]
    fn exp<T: Element>(x: T) -> T {
        x.fast_exp()
    }

    #[inline(always)]
    fn run<R>(body: impl FnOnce() -> R) -> R {
        body()
    }

    #[inline(never)]
    fn tiles<T: Element, const MR: usize, const NC: usize, N: Count, K: Count>(
        a: &[T],
        rows: N,
        terms: K,
        b: [&[T]; NC],
        start: Option<&[[T; 1]; NC]>,
        out: &mut [T],
    ) {
        matmul::tiles::<Self, T, MR, NC>(a, rows.get(), terms.get(), b, start, out)
    }

    #[inline(always)]
    fn dots2<T: Element>(a: &[T], b: [&[T]; 2]) -> [T; 2] {
        matmul::dots2::<Self, T>(a, b, build_partial_sums2)
    }

    #[inline(always)]
    fn dots4<T: Element>(a: &[T], b: [&[T]; 4]) -> [T; 4] {
        matmul::dots4::<Self, T>(a, b, build_partial_sums4, T::pairwise4)
    }

    #[inline(never)]
    fn transposed_tiles<T: Element, const MR: usize, N: Count>(
        g: &[T],
        rows: N,
        panel: &[T],
        width: usize,
        block: usize,
        out: &mut [T],
    ) {
        matmul::transposed_tiles::<Self, T, MR>(g, rows.get(), panel, width, block, out)
    }

    #[inline(never)]
    fn outer_tile<T: Element, const MR: usize, N: Count>(
        packed: &[[T; MR]],
        samples: N,
        g: [&[T]; COLUMNS],
        out: &mut [[T; MR]; COLUMNS],
    ) {
        update::tile::<Self, T, MR>(packed, samples.get(), g, out)
    }
}

// The loops of one sample's dot products in functions of their own (see `matmul`).
#[inline(never)]
fn build_partial_sums2<T: Element>(a: &[T], b: [&[T]; 2]) -> [[T; LANES]; 2] {
    matmul::partial_sums2::<Build, T>(a, b)
}

#[inline(never)]
fn build_partial_sums4<T: Element>(a: &[T], b: [&[T]; 4]) -> [[T; LANES]; 4] {
    matmul::partial_sums4::<Build, T>(a, b)
}

#[cfg(all(feature = "std", target_arch = "x86_64"))]
pub(crate) use x86::{Avx2, Avx512};

#[cfg(all(feature = "std", target_arch = "x86_64"))]
mod x86 {
    use super::{COLUMNS, Count, Isa, LANES, matmul, update};
    use crate::Element;

    /// Generates an instruction set's type: its kernels compiled with `$features`, behind
    /// the `unsafe` calls that only [`level`](super::level) makes reachable.
    macro_rules! isa {
        ($(#[$doc:meta])* $name:ident, $features:literal, rows: $rows:expr, tile_columns: $tile_columns:expr, one_row: $one_row:expr, pairwise4: $pairwise4:expr) => {
            $(#[$doc])*
            #[derive(Clone, Copy, Debug)]
            pub(crate) struct $name;

            impl Isa for $name {
                const NAME: &'static str = $features;
                const LEVEL: super::Level = super::Level::$name;
                const WIDEST_ROWS: usize = $rows;
                const TILE_COLUMNS: usize = $tile_columns;
                const ONE_ROW_COLUMNS: usize = $one_row;

                #[inline(always)]
                fn mul_add<T: Element>(x: T, y: T, acc: T) -> T {
                    x.fused_mul_add(y, acc)
                }

                #[inline(always)]
                fn exp<T: Element>(x: T) -> T {
                    x.fused_exp()
                }

                #[inline(always)]
                fn run<R>(body: impl FnOnce() -> R) -> R {
                    #[target_feature(enable = $features)]
                    #[inline(never)]
                    fn run<R>(body: impl FnOnce() -> R) -> R {
                        body()
                    }
                    // SAFETY: as in `tiles` below.
                    #[allow(unsafe_code)]
                    unsafe {
                        run(body)
                    }
                }

                #[inline(always)]
                fn tiles<T: Element, const MR: usize, const NC: usize, N: Count, K: Count>(
                    a: &[T],
                    rows: N,
                    terms: K,
                    b: [&[T]; NC],
                    start: Option<&[[T; 1]; NC]>,
                    out: &mut [T],
                ) {
                    #[target_feature(enable = $features)]
                    #[inline(never)]
                    fn run<T: Element, const MR: usize, const NC: usize>(
                        a: &[T],
                        rows: usize,
                        terms: usize,
                        b: [&[T]; NC],
                        start: Option<&[[T; 1]; NC]>,
                        out: &mut [T],
                    ) {
                        matmul::tiles::<$name, T, MR, NC>(a, rows, terms, b, start, out)
                    }
                    // SAFETY: this type is chosen only by `level`, after it has seen the
                    // processor run every one of `$features`.
                    #[allow(unsafe_code)]
                    unsafe {
                        run::<T, MR, NC>(a, rows.get(), terms.get(), b, start, out)
                    }
                }

                #[inline(always)]
                fn dots2<T: Element>(a: &[T], b: [&[T]; 2]) -> [T; 2] {
                    // Two columns at a time is the SSE layout; these sets take four.
                    let [x, y] = b;
                    let [s0, s1, _, _] = Self::dots4(a, [x, y, x, y]);
                    [s0, s1]
                }

                #[inline(always)]
                fn dots4<T: Element>(a: &[T], b: [&[T]; 4]) -> [T; 4] {
                    #[target_feature(enable = $features)]
                    #[inline(never)]
                    fn partial<T: Element>(
                        a: &[T],
                        b: [&[T]; 4],
                    ) -> [[T; LANES]; 4] {
                        matmul::partial_sums4::<$name, T>(a, b)
                    }
                    #[target_feature(enable = $features)]
                    #[inline(never)]
                    fn run<T: Element>(a: &[T], b: [&[T]; 4]) -> [T; 4] {
                        // The loop in a function of its own, the reduction here (as the
                        // build's `dots4` has them).
                        matmul::dots4::<$name, T>(a, b, |a, b| partial::<T>(a, b), $pairwise4)
                    }
                    // SAFETY: as in `tiles`.
                    #[allow(unsafe_code)]
                    unsafe {
                        run::<T>(a, b)
                    }
                }

                #[inline(always)]
                fn dots8<T: Element>(a: &[T], b: [&[T]; 8]) -> [T; 8] {
                    #[target_feature(enable = $features)]
                    #[inline(never)]
                    fn partial<T: Element>(
                        a: &[T],
                        b: [&[T]; 8],
                    ) -> [[T; LANES]; 8] {
                        matmul::partial_sums8::<$name, T>(a, b)
                    }
                    #[target_feature(enable = $features)]
                    #[inline(never)]
                    fn run<T: Element>(a: &[T], b: [&[T]; 8]) -> [T; 8] {
                        matmul::dots8::<$name, T>(a, b, |a, b| partial::<T>(a, b), $pairwise4)
                    }
                    // SAFETY: as in `tiles`.
                    #[allow(unsafe_code)]
                    unsafe {
                        run::<T>(a, b)
                    }
                }

                #[inline(always)]
                fn transposed_tiles<T: Element, const MR: usize, N: Count>(
                    g: &[T],
                    rows: N,
                    panel: &[T],
                    width: usize,
                    block: usize,
                    out: &mut [T],
                ) {
                    #[target_feature(enable = $features)]
                    #[inline(never)]
                    fn run<T: Element, const MR: usize>(
                        g: &[T],
                        rows: usize,
                        panel: &[T],
                        width: usize,
                        block: usize,
                        out: &mut [T],
                    ) {
                        matmul::transposed_tiles::<$name, T, MR>(g, rows, panel, width, block, out)
                    }
                    // SAFETY: as in `tiles`.
                    #[allow(unsafe_code)]
                    unsafe {
                        run::<T, MR>(g, rows.get(), panel, width, block, out)
                    }
                }

                #[inline(always)]
                fn outer_tile<T: Element, const MR: usize, N: Count>(
                    packed: &[[T; MR]],
                    samples: N,
                    g: [&[T]; COLUMNS],
                    out: &mut [[T; MR]; COLUMNS],
                ) {
                    #[target_feature(enable = $features)]
                    #[inline(never)]
                    fn run<T: Element, const MR: usize>(
                        packed: &[[T; MR]],
                        samples: usize,
                        g: [&[T]; COLUMNS],
                        out: &mut [[T; MR]; COLUMNS],
                    ) {
                        update::tile::<$name, T, MR>(packed, samples, g, out)
                    }
                    // SAFETY: as in `tiles`.
                    #[allow(unsafe_code)]
                    unsafe {
                        run::<T, MR>(packed, samples.get(), g, out)
                    }
                }
            }
        };
    }

    isa!(
        /// AVX2 with FMA: 16 vector registers of 8 `f32`.
        Avx2,
        "avx2,fma",
        rows: 16,
        tile_columns: 6,
        one_row: 4,
        pairwise4: |acc| crate::kernels::reduce::pairwise4(acc)
    );
    isa!(
        /// AVX-512 (F, with FMA): 32 vector registers of 16 `f32`. One sample's dot
        /// products run 8 at a time: each chunk of the sample loaded feeds 8 multiply-adds
        /// (I3 9-11% faster than 4 at a time, BENCHMARKS.md).
        Avx512,
        "avx512f,avx2,fma",
        rows: 64,
        tile_columns: 4,
        one_row: 8,
        // SAFETY: called only inside `run`, compiled with AVX-512F, which `level` has seen.
        pairwise4: |acc| {
            #[allow(unsafe_code)]
            unsafe {
                T::pairwise4_avx512(acc)
            }
        }
    );
}

/// The instruction sets a processor may run, best last. Public only so that the sealed
/// element traits can take it (`kernels::compiled`); no user can name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// [`Build`].
    Build = 1,
    /// [`Avx2`].
    #[cfg(all(feature = "std", target_arch = "x86_64"))]
    Avx2 = 2,
    /// [`Avx512`].
    #[cfg(all(feature = "std", target_arch = "x86_64"))]
    Avx512 = 3,
}

/// The weight gradient's transposition of a block of the batch in AVX-512 registers
/// (`update::pack_f32_avx512`) where `level` is [`Level::Avx512`], in AVX2 registers
/// (`update::pack_f32_avx2`) where it is [`Level::Avx2`]: whether it was done (otherwise
/// nothing is written, and `update::pack` is the way).
#[cfg(all(feature = "std", target_arch = "x86_64"))]
pub(crate) fn pack_f32(
    level: Level,
    mr: usize,
    x_block: &[f32],
    rows: usize,
    packed: &mut [f32],
) -> bool {
    // SAFETY: as in `tiles`: `level` is `Avx512` only once `level()` has seen the processor
    // run AVX-512F, and `Avx2` only once it has seen AVX2.
    #[allow(unsafe_code)]
    match level {
        Level::Avx512 => unsafe { update::pack_f32_avx512(mr, x_block, rows, packed) },
        Level::Avx2 => unsafe { update::pack_f32_avx2(mr, x_block, rows, packed) },
        Level::Build => false,
    }
}

/// The best instruction set this processor runs that the build does not already assume,
/// seen once and remembered.
#[cfg(all(feature = "std", target_arch = "x86_64"))]
#[inline(always)]
pub(crate) fn level() -> Level {
    use core::sync::atomic::{AtomicU8, Ordering};
    static SEEN: AtomicU8 = AtomicU8::new(0);
    match SEEN.load(Ordering::Relaxed) {
        3 => Level::Avx512,
        2 => Level::Avx2,
        1 => Level::Build,
        _ => {
            // Through a function that cannot unwind: a panic in reading the environment
            // would abort, so no step that asks carries an unwinding path.
            extern "C" fn detect_cannot_unwind() -> u8 {
                detect() as u8
            }
            let seen = detect_cannot_unwind();
            SEEN.store(seen, Ordering::Relaxed);
            match seen {
                3 => Level::Avx512,
                2 => Level::Avx2,
                _ => Level::Build,
            }
        }
    }
}

/// What [`level`] remembers. A set the build already assumes adds nothing: [`Build`]
/// compiled with it is the same code without the call.
#[cfg(all(feature = "std", target_arch = "x86_64"))]
#[cold]
fn detect() -> Level {
    if let Some(level) = forced() {
        return level;
    }
    let avx512 = std::is_x86_feature_detected!("avx512f")
        && std::is_x86_feature_detected!("avx2")
        && std::is_x86_feature_detected!("fma");
    let avx2 = std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("fma");
    if avx512 && !cfg!(target_feature = "avx512f") {
        Level::Avx512
    } else if avx2 && !cfg!(all(target_feature = "avx2", target_feature = "fma")) && !avx512 {
        Level::Avx2
    } else {
        Level::Build
    }
}

/// `FERROFLOW_ISA=build` or `avx2` caps the choice (for benchmarks that compare the
/// variants, and to rule one out); a set the processor lacks is never taken.
#[cfg(all(feature = "std", target_arch = "x86_64"))]
fn forced() -> Option<Level> {
    // `var_os` and bytes, not `var` and `&str`: no UTF-8 check, whose error path panics
    // where `level` runs inside a network's step (the no-panic proof, `tests/no-panic`).
    let cap = match std::env::var_os("FERROFLOW_ISA")?.as_encoded_bytes() {
        b"build" => Level::Build,
        b"avx2" => Level::Avx2,
        _ => return None,
    };
    let avx2 = std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("fma");
    Some(if cap == Level::Avx2 && avx2 { Level::Avx2 } else { Level::Build })
}

/// Without `std` or off x86-64, the build's own target.
#[cfg(not(all(feature = "std", target_arch = "x86_64")))]
#[inline(always)]
pub(crate) fn level() -> Level {
    Level::Build
}

/// Runs `pass` compiled for the widest instruction set this processor runs (as the large
/// products choose it), so that the code inlined into it (the tutorial graph's session,
/// its activations and short products) uses the wide registers too. A pass of fewer than
/// 4096 multiply-adds (`work`) runs as the build compiled it.
///
/// Only the vector width changes, not the arithmetic: no multiply and add is fused that
/// was not before (the kernels ask the build's target for FMA, and Rust never contracts),
/// so the results are the same to the bit as `pass()`. Mark the closure
/// `#[inline(always)]`: a body that is not inlined into the variant is compiled once, for
/// the build's target, whichever variant calls it. A network's passes take
/// [`widest_pass!`](crate::__widest_pass), which fuses their small loops' multiply-adds
/// too.
#[inline(always)]
pub fn widest<R>(work: usize, pass: impl FnOnce() -> R) -> R {
    if work < SMALL {
        return pass();
    }
    match level() {
        #[cfg(all(feature = "std", target_arch = "x86_64"))]
        Level::Avx512 => {
            #[target_feature(enable = "avx512f,avx2,fma")]
            #[inline(never)]
            fn run<R>(pass: impl FnOnce() -> R) -> R {
                pass()
            }
            // SAFETY: `level` chose AVX-512 after seeing the processor run these features.
            #[allow(unsafe_code)]
            unsafe {
                run(pass)
            }
        }
        #[cfg(all(feature = "std", target_arch = "x86_64"))]
        Level::Avx2 => in_avx2_fma(Avx2Fma(()), pass),
        Level::Build => pass(),
    }
}

/// Runs `run` where it is: the as-built arm of a pass that needs no frame of its own
/// (`__widest_pass!`).
#[inline(always)]
pub fn run_here<R>(run: impl FnOnce() -> R) -> R {
    run()
}

/// Proof that this processor runs AVX2 with FMA, which the build does not assume: made
/// only where `level()` has seen them ([`pass_variant`], `widest`), so that
/// [`in_avx2_fma`] needs no other check.
#[cfg(all(feature = "std", target_arch = "x86_64"))]
#[derive(Clone, Copy, Debug)]
pub struct Avx2Fma(());

/// Whether a network's step or inference is entered in the AVX2 variant with FMA
/// (`__widest_pass!`): wherever the processor runs it and the build does not assume it,
/// on AVX-512 processors too. Their large products still take AVX-512's kernels (compiled
/// once, called from the pass); what the pass inlines is short loops and scalar code,
/// which a processor runs slower after 512-bit instructions (on an Intel Xeon, a 2 → 16 →
/// 2 inference took 110 ns in the AVX-512 variant against 90-95 in the AVX2 one,
/// `benches/transitions.rs`). The pass's results are the same on both processors:
/// `SmallFused` sums as `Avx2` and `Avx512` do.
#[cfg(all(feature = "std", target_arch = "x86_64"))]
#[inline(always)]
pub fn pass_variant() -> Option<Avx2Fma> {
    match level() {
        Level::Avx512 | Level::Avx2 => Some(Avx2Fma(())),
        Level::Build => None,
    }
}

/// Runs `pass` in a function of its own (never inlined) compiled for AVX2 with FMA. Only
/// that code of `pass` is generated here: no copy compiled for the build's target, where a
/// pass that fuses multiply-adds would call the library's `fmaf`.
#[cfg(all(feature = "std", target_arch = "x86_64"))]
#[inline(always)]
pub fn in_avx2_fma<R>(_proof: Avx2Fma, pass: impl FnOnce() -> R) -> R {
    #[target_feature(enable = "avx2,fma")]
    #[inline(never)]
    fn run<R>(pass: impl FnOnce() -> R) -> R {
        pass()
    }
    // SAFETY: an `Avx2Fma` is made only where `level()` has seen the processor run AVX2
    // and FMA (`pass_variant`, `widest`; its AVX-512 level checks them too).
    #[allow(unsafe_code)]
    unsafe {
        run(pass)
    }
}

/// Runs a network's inference or training step (`network!`'s generated code: `$body`, with
/// its workspace, whose loops take the arithmetic `$M`, an [`Arithmetic`]) in a wide
/// variant: where the processor runs AVX2 with FMA and the build's target does not assume
/// them ([`pass_variant`]), `$body` is compiled again for them, with `$M` [`Fused`], so
/// that everything inlined into it (the workspace, activations, short products, the loss)
/// uses the wide registers and rounds each multiply-add once, as a `-C target-cpu=native`
/// build does. Elsewhere `$body` runs as built, `$M` [`AsBuilt`], to the bit what it
/// computed before.
///
/// Once per step, around the workspace, not per pass: entered per pass, W1's step (2 → 16
/// → 2, one sample) was slower in the variant than as built, its workspace held in the
/// caller's frame and reached through pointers (BENCHMARKS.md). Everything the body calls
/// must be inlined into it (the passes are `#[inline(always)]`): a function compiled on
/// its own is compiled for the build's target, where a fused multiply-add is a call to the
/// library's `fmaf`.
///
/// A macro, not a function, because `$M` is a type the body is generic over: a closure
/// cannot be. The choice is one load of a cached byte and a branch.
#[cfg(all(feature = "std", target_arch = "x86_64"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __widest_pass {
    ($M:ident => $body:expr) => {
        $crate::__widest_pass!(@as built $crate::__private::run_here; $M => $body)
    };
    // A body that holds a stack workspace runs in a frame of its own either way (the
    // variant's function is one, never inlined): the caller's frame holds no copy of it.
    (own frame; $M:ident => $body:expr) => {
        $crate::__widest_pass!(@as built $crate::workspace::in_own_frame; $M => $body)
    };
    (@as built $as_built:path; $M:ident => $body:expr) => {
        if let ::core::option::Option::Some(proof) = $crate::__private::pass_variant() {
            $crate::__private::in_avx2_fma(
                proof,
                #[inline(always)]
                || {
                    type $M = $crate::__private::Fused;
                    $body
                },
            )
        } else {
            $as_built(
                #[inline(always)]
                || {
                    type $M = $crate::__private::AsBuilt;
                    $body
                },
            )
        }
    };
}

/// Without `std` or off x86-64 a pass runs as built (see the x86-64 definition).
#[cfg(not(all(feature = "std", target_arch = "x86_64")))]
#[doc(hidden)]
#[macro_export]
macro_rules! __widest_pass {
    ($M:ident => $body:expr) => {{
        type $M = $crate::__private::AsBuilt;
        $body
    }};
    (own frame; $M:ident => $body:expr) => {
        $crate::workspace::in_own_frame(|| {
            type $M = $crate::__private::AsBuilt;
            $body
        })
    };
}

/// Runs `$body` with `$I` the instruction set a product (or loop) of `$work` multiply-adds
/// takes in a pass of arithmetic `$M` ([`Arithmetic`]): below [`SMALL`], inlined in the
/// pass's own arithmetic ([`Small`] or [`SmallFused`]); above, the set [`level`] chose,
/// whose kernels are compiled once. `$work` and `$M` are constants, so only one arm is
/// generated.
macro_rules! with_isa_in {
    ($M:ty, $work:expr; $I:ident => $body:expr) => {
        if const { $work < $crate::kernels::isa::SMALL } {
            if const { <$M as $crate::kernels::isa::Arithmetic>::FUSED } {
                type $I = $crate::kernels::isa::SmallFused;
                $body
            } else {
                type $I = $crate::kernels::isa::Small;
                $body
            }
        } else {
            $crate::kernels::isa::with_isa!($I => $body)
        }
    };
}
pub(crate) use with_isa_in;

/// The instruction set the large products use on this processor: `"build target"` (what
/// the build was compiled for), `"avx2,fma"` or `"avx512f,avx2,fma"` (the features their
/// variant is compiled with). For benchmarks and reports.
pub fn selected() -> &'static str {
    match level() {
        Level::Build => <Build>::NAME,
        #[cfg(all(feature = "std", target_arch = "x86_64"))]
        Level::Avx2 => Avx2::NAME,
        #[cfg(all(feature = "std", target_arch = "x86_64"))]
        Level::Avx512 => Avx512::NAME,
    }
}

/// Runs `$body` with `$I` the type of the instruction set [`level`] chose (or of the
/// `Level` given before a `;`): the one place a kernel's entry point picks its variant.
macro_rules! with_isa {
    ($I:ident => $body:expr) => {
        $crate::kernels::isa::with_isa!($crate::kernels::isa::level(); $I => $body)
    };
    ($level:expr; $I:ident => $body:expr) => {
        match $level {
            #[cfg(all(feature = "std", target_arch = "x86_64"))]
            $crate::kernels::isa::Level::Avx512 => {
                type $I = $crate::kernels::isa::Avx512;
                $body
            }
            #[cfg(all(feature = "std", target_arch = "x86_64"))]
            $crate::kernels::isa::Level::Avx2 => {
                type $I = $crate::kernels::isa::Avx2;
                $body
            }
            $crate::kernels::isa::Level::Build => {
                type $I = $crate::kernels::isa::Build;
                $body
            }
        }
    };
}
pub(crate) use with_isa;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::rng;
    use rand::RngExt;

    /// Values in `[-1, 1)`, as `f32`.
    fn values<const R: usize, const C: usize>(
        rng: &mut rand::rngs::Xoshiro256PlusPlus,
    ) -> [[f32; R]; C] {
        core::array::from_fn(|_| core::array::from_fn(|_| rng.random_range(-1.0f32..1.0)))
    }

    /// `a · b + bias` by `I`, each value against the exact sum of the same `f32` inputs (in
    /// `f64`), within `1e-6` of the sum of the terms' magnitudes: a few roundings of `f32`,
    /// fused or not, in any order.
    fn affine_matches<I: Isa, const R: usize, const K: usize, const C: usize>(
        seed: u64,
    ) -> [[f32; R]; C] {
        let mut rng = rng(seed);
        let (a, b, bias) =
            (values::<R, K>(&mut rng), values::<K, C>(&mut rng), values::<1, C>(&mut rng));
        let mut out = [[0.0f32; R]; C];
        matmul::affine_in::<I, f32, R, K, C>(&a, &b, &bias, &mut out);
        for c in 0..C {
            for r in 0..R {
                let terms = (0..K).map(|k| f64::from(a[k][r]) * f64::from(b[c][k]));
                let exact = terms.clone().sum::<f64>() + f64::from(bias[c][0]);
                let scale = terms.map(f64::abs).sum::<f64>() + f64::from(bias[c][0]).abs();
                let error = (f64::from(out[c][r]) - exact).abs();
                assert!(error <= 1e-6 * scale, "{} ({r}, {c}) of {R}x{K}x{C}: {error}", I::NAME);
            }
        }
        out
    }

    /// The weight gradient `xᵀ g` by `I`, checked the same way.
    fn outer_matches<I: Isa, const B: usize, const N: usize, const O: usize>(
        seed: u64,
    ) -> Vec<f32> {
        let mut rng = rng(seed);
        let (x, g) = (values::<B, N>(&mut rng), values::<B, O>(&mut rng));
        let mut out = vec![0.0f32; N * O];
        update::outer_product_columns::<I, f32, B, N>(&x, &g, &mut |at, piece| {
            out[at..at + piece.len()].copy_from_slice(piece);
        });
        for o in 0..O {
            for k in 0..N {
                let terms = (0..B).map(|b| f64::from(x[k][b]) * f64::from(g[o][b]));
                let exact = terms.clone().sum::<f64>();
                let scale = terms.map(f64::abs).sum::<f64>();
                let error = (f64::from(out[o * N + k]) - exact).abs();
                assert!(error <= 1e-6 * scale, "{} ({k}, {o}) of {B}x{N}x{O}: {error}", I::NAME);
            }
        }
        out
    }

    /// The input gradient `g · wᵀ` by `I`, checked the same way.
    fn transpose_b_matches<I: Isa, const R: usize, const K: usize, const C: usize>(
        seed: u64,
    ) -> [[f32; R]; K] {
        let mut rng = rng(seed);
        let (g, w) = (values::<R, C>(&mut rng), values::<K, C>(&mut rng));
        let mut out = [[0.0f32; R]; K];
        matmul::transpose_b_in::<I, f32, R, K, C>(&g, &w, &mut out);
        // Zero plus the sum is the sum: `out` starting from zeros gives `g · wᵀ`.
        for k in 0..K {
            for r in 0..R {
                let terms = (0..C).map(|c| f64::from(g[c][r]) * f64::from(w[c][k]));
                let exact = terms.clone().sum::<f64>();
                let scale = terms.map(f64::abs).sum::<f64>();
                let error = (f64::from(out[k][r]) - exact).abs();
                assert!(error <= 1e-6 * scale, "{} ({r}, {k}) of {R}x{K}x{C}: {error}", I::NAME);
            }
        }
        out
    }

    /// Every shape the kernels treat differently: one sample (short and long dot products,
    /// columns left over), batches cut in tiles of 64, 32, 16, 8 rows and of one, weight
    /// gradients in blocks of 64, 16 and 8 inputs and dot products.
    fn all<I: Isa>() -> Vec<Vec<f32>> {
        fn flat<const R: usize, const C: usize>(m: [[f32; R]; C]) -> Vec<f32> {
            m.as_flattened().to_vec()
        }
        vec![
            flat(affine_matches::<I, 1, 15, 3>(1)),
            flat(affine_matches::<I, 1, 100, 9>(2)),
            flat(affine_matches::<I, 1, 784, 13>(3)),
            // Two groups of 8 (or 4 of 4) columns, then 4 left over.
            flat(affine_matches::<I, 1, 48, 20>(19)),
            flat(affine_matches::<I, 64, 31, 9>(4)),
            flat(affine_matches::<I, 32, 40, 6>(5)),
            flat(affine_matches::<I, 16, 13, 10>(6)),
            flat(affine_matches::<I, 24, 17, 5>(7)),
            flat(affine_matches::<I, 3, 5, 7>(8)),
            flat(affine_matches::<I, 64, 300, 9>(17)),
            flat(affine_matches::<I, 16, 600, 5>(18)),
            // Tiles of 6 columns where the set has them (`matmul::column_tiles`): with 4
            // and 4 after them, then with 4 and one.
            flat(affine_matches::<I, 32, 20, 14>(20)),
            flat(affine_matches::<I, 64, 300, 23>(21)),
            outer_matches::<I, 17, 85, 9>(9),
            outer_matches::<I, 64, 152, 6>(10),
            outer_matches::<I, 5, 3, 70>(11),
            flat(transpose_b_matches::<I, 64, 30, 40>(12)),
            flat(transpose_b_matches::<I, 32, 9, 17>(13)),
            flat(transpose_b_matches::<I, 16, 12, 100>(14)),
            flat(transpose_b_matches::<I, 1, 70, 20>(15)),
            flat(transpose_b_matches::<I, 5, 7, 9>(16)),
        ]
    }

    /// `widest` changes the vector width, not the arithmetic: a small layer's product, its
    /// sigmoid and a softmax (the `exp` polynomial, the reductions) give the same bits in
    /// the widest variant as in the build's own code.
    #[test]
    fn widest_gives_the_same_bits() {
        let pass = || {
            let mut rng = rng(21);
            let (a, b, bias) =
                (values::<8, 30>(&mut rng), values::<30, 10>(&mut rng), values::<1, 10>(&mut rng));
            let mut out = crate::matrix::zeros::<f32, 8, 10>();
            matmul::affine_in::<Build, f32, 8, 30, 10>(&a, &b, &bias, &mut out.data.0);
            let hidden = crate::ops::sigmoid(&out);
            crate::ops::softmax(&hidden).map(f32::to_bits)
        };
        assert_eq!(widest(SMALL, pass), pass(), "selected: {}", selected());
    }

    /// The build's kernels inlined with the sizes as constants ([`Small`]) and compiled
    /// once with the sizes as arguments ([`Build`], `kernels::compiled`) are the same
    /// arithmetic in the same order: the same bits, on every shape.
    #[test]
    fn inlined_and_compiled_kernels_give_the_same_bits() {
        let bits = |v: Vec<Vec<f32>>| -> Vec<Vec<u32>> {
            v.iter().map(|m| m.iter().map(|x| x.to_bits()).collect()).collect()
        };
        assert_eq!(bits(all::<Small>()), bits(all::<Build>()));
    }

    /// Each variant this processor runs agrees with a triple loop in `f64`. The variants
    /// with FMA ([`Avx2`], [`Avx512`]) also agree with each other to the bit: every output
    /// sums its products in the same order (a tile's height or width changes which outputs
    /// share a register, not any one output's order), each rounded once. [`Build`] on an SSE2 build
    /// rounds each product before adding it, so it differs from them in the last bits.
    #[test]
    fn every_variant_the_processor_runs_matches_a_triple_loop() {
        let build = all::<Build>();
        assert!(!build.is_empty());
        // Checked against the triple loop on any processor (slowly where it has no FMA).
        let _ = all::<SmallFused>();
        #[cfg(all(feature = "std", target_arch = "x86_64"))]
        {
            let fma = std::is_x86_feature_detected!("fma");
            let avx2 = (fma && std::is_x86_feature_detected!("avx2")).then(all::<Avx2>);
            let avx512 = (fma && std::is_x86_feature_detected!("avx512f")).then(all::<Avx512>);
            let bits = |v: &Vec<Vec<f32>>| -> Vec<Vec<u32>> {
                v.iter().map(|m| m.iter().map(|x| x.to_bits()).collect()).collect()
            };
            // The small kernels of a pass in a wide variant: the same order of terms as
            // AVX2's, each multiply-add fused (wherever they run: they are portable code).
            if let Some(avx2) = &avx2 {
                assert_eq!(bits(&all::<SmallFused>()), bits(avx2), "inlined, fused and AVX2");
            }
            if let (Some(avx2), Some(avx512)) = (&avx2, &avx512) {
                assert_eq!(bits(avx2), bits(avx512), "AVX2 and AVX-512 sum in the same order");
            }
            eprintln!(
                "isa variants checked: build{}{} (selected: {})",
                if avx2.is_some() { ", Avx2" } else { "" },
                if avx512.is_some() { ", Avx512" } else { "" },
                selected()
            );
        }
    }
}
