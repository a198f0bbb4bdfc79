//! The fused weight-gradient-and-update pass of a training step.

use super::dot;
use super::isa::{AsBuilt, Isa, with_isa_in};
use super::{COLUMNS, Fixed};
use crate::Element;

/// Updates `w` (`O` columns of `I` input weights, a perceptron's storage) from the weight
/// gradient `xᵀ g` of a batch, without storing that gradient: each piece of it goes to
/// `update(at, weights, gradient)` as soon as it is summed, with `at` the position of the
/// piece's first weight in `w` (column-major, PyTorch's `[out][in]` order).
///
/// `x` is the layer's input (`B × I`, column-major), `g` the gradient with respect to its
/// pre-activation (`B × O`).
#[inline]
pub fn weights_from_outer_product<T: Element, const B: usize, const I: usize, const O: usize>(
    w: &mut [[T; I]; O],
    x: &[[T; B]; I],
    g: &[[T; B]; O],
    update: &mut impl FnMut(usize, &mut [T], &[T]),
) {
    with_isa_in!(AsBuilt, B * I * O; S => columns_from_outer_product::<S, T, B, I>(w, x, g, update));
}

/// [`weights_from_outer_product`] for the units at hand: `w` and `g` hold the same units
/// (all of a layer's, or one core's share), and `at` counts from the first of them.
#[inline(always)]
pub(crate) fn columns_from_outer_product<S: Isa, T: Element, const B: usize, const I: usize>(
    w: &mut [[T; I]],
    x: &[[T; B]; I],
    g: &[[T; B]],
    update: &mut impl FnMut(usize, &mut [T], &[T]),
) {
    let w = w.as_flattened_mut();
    outer_product_columns::<S, T, B, I>(x, g, &mut |at, gradient| {
        if let Some(weights) = w.get_mut(at..at + gradient.len()) {
            update(at, weights, gradient);
        }
    });
}

/// The weight gradient `xᵀ g` (`I × O`) piece by piece: `sink(at, values)` receives a run
/// of it in its column-major order (a unit's `I` values after another's), starting at
/// position `at`: `values[i]` is `Σ_b x[k][b] g[unit][b]` for `unit · I + k = at + i`.
/// `matmul_transpose_a` collects the same pieces, so a network's fused step and its
/// separate backward pass agree to the bit.
///
/// Inputs are taken in blocks of `MR` (the matmul's tile height): a block of `x` is
/// transposed once into a small buffer, then for every 4 units an `MR × 4` tile of
/// accumulators runs over the batch in registers, each row of the buffer feeding 4
/// multiply-adds per value. The inputs left over (fewer than 8) are dot products. A layer
/// of fewer than 8 inputs gets its gradient as dot products too, many units per run.
#[inline]
pub fn outer_product<T: Element, const B: usize, const I: usize, const O: usize>(
    x: &[[T; B]; I],
    g: &[[T; B]; O],
    sink: &mut impl FnMut(usize, &[T]),
) {
    with_isa_in!(AsBuilt, B * I * O; S => outer_product_columns::<S, T, B, I>(x, g, sink));
}

/// How many units' gradients a layer of fewer than 8 inputs hands over in one run.
const SMALL_RUN_UNITS: usize = 32;

/// [`outer_product`] for the units (columns of `g`) at hand, wholly in the code of the
/// instruction set `S`: not only its tiles but the batch's transposition and the `sink`
/// (an optimizer's loops) between them, which in SSE2 were a tenth of W3's step. Every
/// caller goes through here, so a core's half of a split update, run on the worker as a
/// function of its own, gets the same code.
#[inline(always)]
pub(crate) fn outer_product_columns<S: Isa, T: Element, const B: usize, const I: usize>(
    x: &[[T; B]; I],
    g: &[[T; B]],
    sink: &mut impl FnMut(usize, &[T]),
) {
    S::run(
        #[inline(always)]
        || outer_product_in::<S, T, B, I>(x, g, sink),
    );
}

/// The body of [`outer_product_columns`].
#[inline(always)]
fn outer_product_in<S: Isa, T: Element, const B: usize, const I: usize>(
    x: &[[T; B]; I],
    g: &[[T; B]],
    sink: &mut impl FnMut(usize, &[T]),
) {
    if const { I < 8 } {
        // A 2-input layer: a run of whole units per call, so the update loops over dozens
        // of weights at a time, not one.
        let mut run = [T::ZERO; 7 * SMALL_RUN_UNITS];
        for (chunk, g_chunk) in g.chunks(SMALL_RUN_UNITS).enumerate() {
            let len = g_chunk.len() * I;
            for (unit, g_col) in run.chunks_exact_mut(I.max(1)).zip(g_chunk) {
                for (value, x_col) in unit.iter_mut().zip(x) {
                    *value = dot(x_col, g_col);
                }
            }
            sink(chunk * SMALL_RUN_UNITS * I, run.get(..len).unwrap_or_default());
        }
        return;
    }
    // The widest blocks the registers hold, then narrower ones for what is left (784
    // inputs are 12 blocks of 64 and one of 16), then dot products for the last few.
    let mut k = 0;
    if const { S::WIDEST_ROWS >= 64 } {
        k += blocks::<S, T, B, 64>(x, k, g, sink);
    }
    if const { S::WIDEST_ROWS >= 16 } {
        k += blocks::<S, T, B, 16>(x, k, g, sink);
    }
    k += blocks::<S, T, B, 8>(x, k, g, sink);
    let rest = x.get(k..).unwrap_or_default();
    if !rest.is_empty() {
        let mut buffer = [T::ZERO; 8];
        for (unit, g_col) in g.iter().enumerate() {
            for (o, xk) in buffer.iter_mut().zip(rest) {
                *o = dot(xk, g_col);
            }
            sink(unit * I + k, &buffer[..rest.len()]);
        }
    }
}

/// A buffer that starts on a cache line (with `std`; a microcontroller has no vectors that
/// wide and keeps its stack small): the transposed batch that [`tile`] reads a row of
/// `MR` values from per sample, 16 `f32` at a time. Off a line (the stack gives 4 bytes),
/// every one of those loads straddled two lines: W3's step took 7% longer (BENCHMARKS.md).
#[cfg_attr(feature = "std", repr(C, align(64)))]
struct OnLines<A>(A);

/// The whole blocks of `MR` inputs of `x[k_start..]`, handed to `sink`; returns how many
/// inputs they cover. The units run 4 at a time, each group's `MR × 4` tile by
/// `S::outer_tile`.
#[inline(always)]
fn blocks<S: Isa, T: Element, const B: usize, const MR: usize>(
    x: &[[T; B]],
    k_start: usize,
    g: &[[T; B]],
    sink: &mut impl FnMut(usize, &[T]),
) -> usize {
    let inputs = x.len();
    let (x_blocks, _) = x.get(k_start..).unwrap_or_default().as_chunks::<MR>();
    let (g_blocks, g_rest) = g.as_chunks::<COLUMNS>();
    let mut packed = OnLines([[T::ZERO; MR]; B]);
    let packed = &mut packed.0;
    let mut sums = [[T::ZERO; MR]; COLUMNS];
    for (kb, x_block) in x_blocks.iter().enumerate() {
        let k0 = k_start + kb * MR;
        let (x_block, packed_flat) = (x_block.as_flattened(), packed.as_flattened_mut());
        if S::INLINE {
            pack::<T, MR>(x_block, B, packed_flat);
        } else {
            T::pack(S::LEVEL, MR, x_block, B, packed_flat);
        }
        for (ob, g_block) in g_blocks.iter().enumerate() {
            let [g0, g1, g2, g3] = g_block;
            let units = [g0.as_slice(), g1, g2, g3];
            if S::INLINE {
                S::outer_tile::<T, MR, _>(&packed[..], Fixed::<B>, units, &mut sums);
            } else {
                T::outer_tile(S::LEVEL, MR, packed.as_flattened(), units, sums.as_flattened_mut());
            }
            for (j, sum) in sums.iter().enumerate() {
                sink((ob * COLUMNS + j) * inputs + k0, sum);
            }
        }
        let rest = g_blocks.len() * COLUMNS;
        if S::INLINE {
            // A small layer's last units (fewer than 4) one at a time: the sums
            // `S::outer_tile` would give (the same multiply-adds in the same order),
            // without the call and the units that would pad its tile.
            for (j, g_col) in g_rest.iter().enumerate() {
                let mut acc = [T::ZERO; MR];
                for (row, &s) in packed.iter().zip(g_col) {
                    for (c, &v) in acc.iter_mut().zip(row) {
                        *c = S::mul_add(v, s, *c);
                    }
                }
                sink((rest + j) * inputs + k0, &acc);
            }
        } else if let Some(first) = g_rest.first() {
            // The last units in one tile, padded with repeats of the first: every unit's
            // gradient then sums alike, whichever tile it falls in.
            let unit = |j: usize| g_rest.get(j).unwrap_or(first).as_slice();
            let units = [unit(0), unit(1), unit(2), unit(3)];
            T::outer_tile(S::LEVEL, MR, packed.as_flattened(), units, sums.as_flattened_mut());
            for (j, sum) in sums.iter().take(g_rest.len()).enumerate() {
                sink((rest + j) * inputs + k0, sum);
            }
        }
    }
    x_blocks.len() * MR
}

/// A block of `MR` inputs (`x_block`: `MR` columns of `rows` samples, one after another)
/// transposed into `packed` (one row of `MR` inputs per sample), for [`tile`].
///
/// [`PACK_SAMPLES`] samples at a time: their values of each input, contiguous, are copied
/// to a buffer of constant shape, which is then written out row by row (each store
/// contiguous; column by column, LLVM wrote AVX-512 scatters, which are microcoded and
/// slow). Read straight from `x_block`, whose columns are `rows` apart, a number known only
/// at run time, the loop stayed scalar: a tenth of W3's step.
#[inline(always)]
pub(super) fn pack<T: Element, const MR: usize>(x_block: &[T], rows: usize, packed: &mut [T]) {
    let (packed, _) = packed.as_chunks_mut::<MR>();
    if rows == 0 {
        return;
    }
    if !rows.is_multiple_of(PACK_SAMPLES) {
        // A batch that is not a multiple of 16 (an odd batch or a remainder): value by
        // value.
        for (b, row) in packed.iter_mut().enumerate() {
            for (j, v) in row.iter_mut().enumerate() {
                *v = x_block.get(j * rows + b).copied().unwrap_or(T::ZERO);
            }
        }
        return;
    }
    let mut buffer = [[T::ZERO; PACK_SAMPLES]; MR];
    for (chunk, rows_out) in packed.chunks_mut(PACK_SAMPLES).enumerate() {
        let b0 = chunk * PACK_SAMPLES;
        for (j, values) in buffer.iter_mut().enumerate() {
            // Always whole (`rows` is a multiple of 16); a copy of one size, not a call
            // to `memcpy` of a size chosen at run time.
            if let Some(whole) = x_block.get(j * rows + b0..).and_then(|c| c.first_chunk()) {
                *values = *whole;
            }
        }
        for (b, row) in (0..PACK_SAMPLES).zip(rows_out.iter_mut()) {
            for (v, values) in row.iter_mut().zip(&buffer) {
                *v = values.get(b).copied().unwrap_or(T::ZERO);
            }
        }
    }
}

/// How many samples [`pack`] transposes at a time.
const PACK_SAMPLES: usize = 16;

/// [`pack`] for `f32` in AVX-512, 16 inputs × 16 samples at a time: each block's 16 runs
/// of samples loaded as vectors, transposed in registers (64 shuffles), and stored as 16
/// runs of inputs. The same values in the same places as [`pack`], which runs it through
/// a buffer and AVX-512 gathers: 6.8% of W3's step, done by both cores when the update
/// is split. Returns `false`, having written nothing, where the shape does not allow it
/// (a batch or a block that is not a multiple of 16).
///
/// # Safety
/// The processor runs AVX-512F.
#[cfg(all(feature = "std", target_arch = "x86_64"))]
#[allow(unsafe_code)]
pub(super) unsafe fn pack_f32_avx512(
    mr: usize,
    x_block: &[f32],
    rows: usize,
    packed: &mut [f32],
) -> bool {
    if !rows.is_multiple_of(16) || !mr.is_multiple_of(16) || x_block.len() < mr * rows {
        return false;
    }
    // SAFETY: the caller's contract.
    unsafe { avx512::pack(mr, x_block, rows, packed) };
    true
}

/// [`pack`] for `f32` in AVX2, 8 inputs × 8 samples at a time, transposed in registers
/// (24 shuffles a block) as [`pack_f32_avx512`] does 16 × 16: the same values in the same
/// places as [`pack`], whose copies through a buffer LLVM leaves scalar in AVX2 (6% of
/// W3's step on an AVX2 processor). Returns `false`, having written nothing, where the
/// shape does not allow it (a batch or a block that is not a multiple of 8).
///
/// # Safety
/// The processor runs AVX2.
#[cfg(all(feature = "std", target_arch = "x86_64"))]
#[allow(unsafe_code)]
pub(super) unsafe fn pack_f32_avx2(
    mr: usize,
    x_block: &[f32],
    rows: usize,
    packed: &mut [f32],
) -> bool {
    if !rows.is_multiple_of(8) || !mr.is_multiple_of(8) || x_block.len() < mr * rows {
        return false;
    }
    // SAFETY: the caller's contract.
    unsafe { avx2::pack(mr, x_block, rows, packed) };
    true
}

#[cfg(all(feature = "std", target_arch = "x86_64"))]
mod avx2 {
    use core::arch::x86_64::{
        __m256, _mm256_permute2f128_ps, _mm256_set_ps, _mm256_shuffle_ps, _mm256_unpackhi_ps,
        _mm256_unpacklo_ps,
    };

    /// 8 values as a vector, lane `l` holding `v[l]` (LLVM makes it one load).
    #[inline]
    #[target_feature(enable = "avx2")]
    fn load(v: &[f32; 8]) -> __m256 {
        let [a0, a1, a2, a3, a4, a5, a6, a7] = *v;
        _mm256_set_ps(a7, a6, a5, a4, a3, a2, a1, a0)
    }

    /// An 8 × 8 block transposed: lane `c` of row `r` goes to lane `r` of row `c`.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn transpose(r: [__m256; 8]) -> [__m256; 8] {
        let [r0, r1, r2, r3, r4, r5, r6, r7] = r;
        // Within each 128-bit half (lanes 0-3, 4-7): pairs of rows interleaved, then
        // pairs of pairs, so half h of `top[k]` holds column 4h + k of rows 0-3, and of
        // `bottom[k]` of rows 4-7.
        let pairs = [
            _mm256_unpacklo_ps(r0, r1),
            _mm256_unpackhi_ps(r0, r1),
            _mm256_unpacklo_ps(r2, r3),
            _mm256_unpackhi_ps(r2, r3),
            _mm256_unpacklo_ps(r4, r5),
            _mm256_unpackhi_ps(r4, r5),
            _mm256_unpacklo_ps(r6, r7),
            _mm256_unpackhi_ps(r6, r7),
        ];
        let [p0, p1, p2, p3, p4, p5, p6, p7] = pairs;
        let top = [
            _mm256_shuffle_ps::<0b01_00_01_00>(p0, p2),
            _mm256_shuffle_ps::<0b11_10_11_10>(p0, p2),
            _mm256_shuffle_ps::<0b01_00_01_00>(p1, p3),
            _mm256_shuffle_ps::<0b11_10_11_10>(p1, p3),
        ];
        let bottom = [
            _mm256_shuffle_ps::<0b01_00_01_00>(p4, p6),
            _mm256_shuffle_ps::<0b11_10_11_10>(p4, p6),
            _mm256_shuffle_ps::<0b01_00_01_00>(p5, p7),
            _mm256_shuffle_ps::<0b11_10_11_10>(p5, p7),
        ];
        // Column k (k < 4) is the low halves of top[k] (rows 0-3) and bottom[k] (rows
        // 4-7); column 4 + k their high halves.
        let [t0, t1, t2, t3] = top;
        let [b0, b1, b2, b3] = bottom;
        [
            _mm256_permute2f128_ps::<0x20>(t0, b0),
            _mm256_permute2f128_ps::<0x20>(t1, b1),
            _mm256_permute2f128_ps::<0x20>(t2, b2),
            _mm256_permute2f128_ps::<0x20>(t3, b3),
            _mm256_permute2f128_ps::<0x31>(t0, b0),
            _mm256_permute2f128_ps::<0x31>(t1, b1),
            _mm256_permute2f128_ps::<0x31>(t2, b2),
            _mm256_permute2f128_ps::<0x31>(t3, b3),
        ]
    }

    /// [`super::pack_f32_avx2`], whose checks have passed.
    #[inline(never)]
    #[target_feature(enable = "avx2")]
    pub(super) fn pack(mr: usize, x_block: &[f32], rows: usize, packed: &mut [f32]) {
        for (b0, out_rows) in (0..rows).step_by(8).zip(packed.chunks_mut(8 * mr)) {
            for j0 in (0..mr).step_by(8) {
                let mut block = [load(&[0.0; 8]); 8];
                for (j, v) in block.iter_mut().enumerate() {
                    let from = (j0 + j) * rows + b0;
                    if let Some(run) = x_block.get(from..).and_then(|c| c.first_chunk::<8>()) {
                        *v = load(run);
                    }
                }
                for (row, v) in out_rows.chunks_exact_mut(mr).zip(transpose(block)) {
                    if let Some(to) = row.get_mut(j0..).and_then(|c| c.first_chunk_mut::<8>()) {
                        // SAFETY: `__m256` is 8 `f32` lanes, 32 bytes like `[f32; 8]`,
                        // and any bits are a valid value of either.
                        #[allow(unsafe_code)]
                        {
                            *to = unsafe { core::mem::transmute::<__m256, [f32; 8]>(v) };
                        }
                    }
                }
            }
        }
    }
}

#[cfg(all(feature = "std", target_arch = "x86_64"))]
mod avx512 {
    use core::arch::x86_64::{
        __m512, _mm512_castpd_ps, _mm512_castps_pd, _mm512_set_ps, _mm512_setzero_ps,
        _mm512_shuffle_f32x4, _mm512_unpackhi_pd, _mm512_unpackhi_ps, _mm512_unpacklo_pd,
        _mm512_unpacklo_ps,
    };

    /// 16 values as a vector, lane `l` holding `v[l]` (LLVM makes it one load).
    #[inline]
    #[target_feature(enable = "avx512f")]
    fn load(v: &[f32; 16]) -> __m512 {
        let [a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15] = *v;
        _mm512_set_ps(a15, a14, a13, a12, a11, a10, a9, a8, a7, a6, a5, a4, a3, a2, a1, a0)
    }

    /// A 16 × 16 block transposed: lane `c` of row `r` goes to lane `r` of row `c`.
    #[inline]
    #[target_feature(enable = "avx512f")]
    fn transpose(r: [__m512; 16]) -> [__m512; 16] {
        // Within each 128-bit block (4 lanes): pairs of rows interleaved, then pairs of
        // pairs, so block L of `quads[4i + k]` holds column 4L + k of rows 4i..4i + 4.
        let mut pairs = [_mm512_setzero_ps(); 16];
        for i in 0..8 {
            pairs[2 * i] = _mm512_unpacklo_ps(r[2 * i], r[2 * i + 1]);
            pairs[2 * i + 1] = _mm512_unpackhi_ps(r[2 * i], r[2 * i + 1]);
        }
        let mut quads = [_mm512_setzero_ps(); 16];
        for i in 0..4 {
            let p0 = _mm512_castps_pd(pairs[4 * i]);
            let p1 = _mm512_castps_pd(pairs[4 * i + 1]);
            let p2 = _mm512_castps_pd(pairs[4 * i + 2]);
            let p3 = _mm512_castps_pd(pairs[4 * i + 3]);
            quads[4 * i] = _mm512_castpd_ps(_mm512_unpacklo_pd(p0, p2));
            quads[4 * i + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(p0, p2));
            quads[4 * i + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(p1, p3));
            quads[4 * i + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(p1, p3));
        }
        // Then whole blocks: column 4L + k is block L of quads[k], quads[4 + k],
        // quads[8 + k] and quads[12 + k], in that order.
        let mut out = [_mm512_setzero_ps(); 16];
        for k in 0..4 {
            let low = _mm512_shuffle_f32x4::<0b01_00_01_00>(quads[k], quads[4 + k]);
            let high = _mm512_shuffle_f32x4::<0b11_10_11_10>(quads[k], quads[4 + k]);
            let low2 = _mm512_shuffle_f32x4::<0b01_00_01_00>(quads[8 + k], quads[12 + k]);
            let high2 = _mm512_shuffle_f32x4::<0b11_10_11_10>(quads[8 + k], quads[12 + k]);
            out[k] = _mm512_shuffle_f32x4::<0b10_00_10_00>(low, low2);
            out[4 + k] = _mm512_shuffle_f32x4::<0b11_01_11_01>(low, low2);
            out[8 + k] = _mm512_shuffle_f32x4::<0b10_00_10_00>(high, high2);
            out[12 + k] = _mm512_shuffle_f32x4::<0b11_01_11_01>(high, high2);
        }
        out
    }

    /// [`super::pack_f32_avx512`], whose checks have passed.
    #[inline(never)]
    #[target_feature(enable = "avx512f")]
    pub(super) fn pack(mr: usize, x_block: &[f32], rows: usize, packed: &mut [f32]) {
        for (b0, out_rows) in (0..rows).step_by(16).zip(packed.chunks_mut(16 * mr)) {
            for j0 in (0..mr).step_by(16) {
                let mut block = [_mm512_setzero_ps(); 16];
                for (j, v) in block.iter_mut().enumerate() {
                    let from = (j0 + j) * rows + b0;
                    if let Some(run) = x_block.get(from..).and_then(|c| c.first_chunk::<16>()) {
                        *v = load(run);
                    }
                }
                for (row, v) in out_rows.chunks_exact_mut(mr).zip(transpose(block)) {
                    if let Some(to) = row.get_mut(j0..).and_then(|c| c.first_chunk_mut::<16>()) {
                        // SAFETY: `__m512` is 16 `f32` lanes, 64 bytes like `[f32; 16]`,
                        // and any bits are a valid value of either.
                        #[allow(unsafe_code)]
                        {
                            *to = unsafe { core::mem::transmute::<__m512, [f32; 16]>(v) };
                        }
                    }
                }
            }
        }
    }
}

/// The `MR × 4` tile of `xᵀ g` for one block of inputs (`packed`, the block transposed:
/// one row of `MR` inputs per sample) and 4 units, summed over the batch (`samples`) in
/// registers and stored to `out`.
///
/// Each instruction set runs it in a function of its own that is never inlined
/// (`kernels::isa`), for the same reason as the matmul's tile: inside a larger body (a
/// sink that is not inlined, such as an optimizer behind `dyn` on the other core), LLVM
/// kept the accumulators on the stack, a store per multiply-add (BENCHMARKS.md,
/// "Measurements behind the kernels' shape").
#[inline(always)]
pub(super) fn tile<S: Isa, T: Element, const MR: usize>(
    packed: &[[T; MR]],
    samples: usize,
    g: [&[T]; COLUMNS],
    out: &mut [[T; MR]; COLUMNS],
) {
    let [g0, g1, g2, g3] = g;
    // Cut to the batch: with its size a constant (a small product), the loop's count is.
    let (Some(packed), Some(g0), Some(g1), Some(g2), Some(g3)) = (
        packed.get(..samples),
        g0.get(..samples),
        g1.get(..samples),
        g2.get(..samples),
        g3.get(..samples),
    ) else {
        return;
    };
    let mut acc = [[T::ZERO; MR]; COLUMNS];
    let samples = packed.iter().zip(g0).zip(g1).zip(g2).zip(g3);
    for ((((row, &s0), &s1), &s2), &s3) in samples {
        for (acc_col, s) in acc.iter_mut().zip([s0, s1, s2, s3]) {
            for (c, &v) in acc_col.iter_mut().zip(row) {
                *c = S::mul_add(v, s, *c);
            }
        }
    }
    *out = acc;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{rng, uniform};

    fn check<const B: usize, const I: usize, const O: usize>(seed: u64) {
        let mut rng = rng(seed);
        let x = uniform::<B, I>(&mut rng, -1.0, 1.0);
        let g = uniform::<B, O>(&mut rng, -1.0, 1.0);
        let mut w = uniform::<I, O>(&mut rng, -1.0, 1.0);
        let before = w;
        // A factor per flat position, as an optimizer's state would be: a run handed over
        // at the wrong position would be scaled by the wrong factors.
        let factor = |at: usize| 1.0 + at as f64 * 1e-3;
        let mut visits = vec![0u32; I * O];
        weights_from_outer_product(
            &mut w.data.0,
            &x.data.0,
            &g.data.0,
            &mut |at, params: &mut [f64], grads: &[f64]| {
                for (i, (p, &d)) in params.iter_mut().zip(grads).enumerate() {
                    *p -= d * factor(at + i);
                    visits[at + i] += 1;
                }
            },
        );
        assert!(visits.iter().all(|&n| n == 1), "every weight updated once");
        // Against a plain triple loop.
        for k in 0..I {
            for o in 0..O {
                let mut gradient = 0.0;
                for b in 0..B {
                    gradient += x[(b, k)] * g[(b, o)];
                }
                let expected = before[(k, o)] - gradient * factor(o * I + k);
                assert!((w[(k, o)] - expected).abs() < 1e-12, "({k}, {o}) of {B}x{I}x{O}");
            }
        }
    }

    /// A transposition in intrinsics (`pack_f32_avx2`, `pack_f32_avx512`) against the
    /// portable one, on a block of `MR` inputs of `rows` samples: every value where the
    /// portable one puts it, or (declined) nothing written. Returns whether it took the
    /// shape.
    ///
    /// # Safety
    /// The processor runs the instructions `kernel` needs.
    #[cfg(all(feature = "std", target_arch = "x86_64"))]
    #[allow(unsafe_code)]
    unsafe fn transposes_as_the_portable_one<const MR: usize>(
        kernel: unsafe fn(usize, &[f32], usize, &mut [f32]) -> bool,
        rows: usize,
    ) -> bool {
        // Distinct values, so a value in the wrong place shows.
        let x_block: Vec<f32> = (0..MR * rows).map(|v| v as f32 + 0.5).collect();
        let mut expected = vec![-1.0f32; MR * rows];
        pack::<f32, MR>(&x_block, rows, &mut expected);
        let mut packed = vec![-1.0f32; MR * rows];
        // SAFETY: the caller's contract.
        let done = unsafe { kernel(MR, &x_block, rows, &mut packed) };
        if done {
            assert_eq!(packed, expected, "{MR} inputs, {rows} samples");
        } else {
            assert!(packed.iter().all(|&v| v == -1.0), "declined, wrote nothing");
        }
        done
    }

    /// The AVX2 transposition puts every value where the portable one does, and declines
    /// (writing nothing) the shapes it does not take.
    #[cfg(all(feature = "std", target_arch = "x86_64"))]
    #[test]
    #[allow(unsafe_code)]
    fn the_avx2_transposition_packs_as_the_portable_one() {
        if !std::is_x86_feature_detected!("avx2") {
            eprintln!("skipped: this processor has no AVX2");
            return;
        }
        // SAFETY: the processor runs AVX2 (checked above).
        let check = |mr: usize, rows: usize| unsafe {
            match mr {
                1 => transposes_as_the_portable_one::<1>(pack_f32_avx2, rows),
                8 => transposes_as_the_portable_one::<8>(pack_f32_avx2, rows),
                16 => transposes_as_the_portable_one::<16>(pack_f32_avx2, rows),
                _ => transposes_as_the_portable_one::<64>(pack_f32_avx2, rows),
            }
        };
        // Under Miri (CI runs it there for the transmutes), two shapes: a run of the
        // interpreter takes seconds a shape.
        let batches: &[usize] = if cfg!(miri) { &[8, 24] } else { &[8, 16, 24, 64, 128] };
        for &rows in batches {
            assert!(check(8, rows) && check(16, rows) && check(64, rows), "{rows} samples");
        }
        assert!(!check(1, 64), "1 input is not a whole block");
        assert!(!check(16, 17) && !check(8, 12), "nor a batch of 17 or 12");
    }

    /// The same of the AVX-512 transposition.
    #[cfg(all(feature = "std", target_arch = "x86_64"))]
    #[test]
    #[allow(unsafe_code)]
    fn the_avx512_transposition_packs_as_the_portable_one() {
        if !std::is_x86_feature_detected!("avx512f") {
            eprintln!("skipped: this processor has no AVX-512F");
            return;
        }
        // SAFETY: the processor runs AVX-512F (checked above).
        let check = |mr: usize, rows: usize| unsafe {
            match mr {
                8 => transposes_as_the_portable_one::<8>(pack_f32_avx512, rows),
                16 => transposes_as_the_portable_one::<16>(pack_f32_avx512, rows),
                _ => transposes_as_the_portable_one::<64>(pack_f32_avx512, rows),
            }
        };
        for rows in [16, 32, 64, 80, 128] {
            assert!(check(16, rows) && check(64, rows), "{rows} samples");
        }
        assert!(!check(8, 64), "8 inputs are not a whole block");
        assert!(!check(64, 17) && !check(16, 40), "nor a batch of 17 or 40");
    }

    #[test]
    fn matches_a_triple_loop_on_odd_shapes() {
        check::<1, 2, 16>(1);
        check::<1, 7, 5>(2);
        check::<3, 5, 7>(3);
        check::<17, 33, 9>(4);
        check::<64, 20, 10>(5);
        check::<37, 19, 1>(6);
        // Blocks of 64, then 16, then 8, then dot products (85 = 64 + 16 + 5).
        check::<8, 85, 9>(7);
        check::<5, 152, 6>(8);
        // Fewer than 8 inputs, more units than one run holds.
        check::<4, 3, 70>(9);
    }
}
