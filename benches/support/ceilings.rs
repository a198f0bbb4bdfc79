//! The machine's ceilings, measured in the same run as the workloads so that "what share of
//! the peak" divides two figures of one run: the widest fused multiply-add loop one core
//! runs, and the single-thread sgemm of a well-kept library (matrixmultiply, through
//! nalgebra's `gemm` on dynamic matrices) on 1024 × 1024 matrices.
//!
//! Each function returns how many floating-point operations one call does (a multiply-add
//! counted as 2), for criterion's throughput and `benches/report.py`.

// The peak loop calls functions compiled for a vector extension: sound only on a processor
// that has it, which `is_x86_feature_detected!` checks just before.
#![allow(unsafe_code)]

use criterion::{BenchmarkGroup, Throughput, measurement::WallTime};
use std::hint::black_box;

/// Independent accumulators in the peak loop: more than an FMA's latency times the number
/// of FMA units (4 × 2 on current x86 cores), so the loop is bound by throughput.
const CHAINS: usize = 16;
/// Multiply-adds per chain in one call of the peak loop.
const ROUNDS: usize = 4096;

/// Names the vector width the peak loop used on this processor.
pub fn peak_width() -> &'static str {
    #[cfg(target_arch = "x86_64")]
    {
        if is_x86_feature_detected!("avx512f") {
            return "AVX-512 FMA, 16 f32 lanes";
        }
        if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma") {
            return "AVX2 FMA, 8 f32 lanes";
        }
    }
    "portable multiply and add, 4 f32 lanes"
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
fn fma_chains_avx512(seed: f32) -> f32 {
    use std::arch::x86_64::*;
    let (a, b) = (_mm512_set1_ps(0.999_9), _mm512_set1_ps(1e-4));
    // Distinct starting values: from equal ones LLVM shuffled registers between the chains.
    let mut acc: [__m512; CHAINS] = core::array::from_fn(|i| _mm512_set1_ps(seed + i as f32));
    for _ in 0..ROUNDS {
        for v in &mut acc {
            *v = _mm512_fmadd_ps(*v, a, b);
        }
    }
    acc.iter().map(|v| _mm512_reduce_add_ps(*v)).sum()
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn fma_chains_avx2(seed: f32) -> f32 {
    use std::arch::x86_64::*;
    let (a, b) = (_mm256_set1_ps(0.999_9), _mm256_set1_ps(1e-4));
    // 12 of the 16 registers: the constants need two more.
    let mut acc: [__m256; 12] = core::array::from_fn(|i| _mm256_set1_ps(seed + i as f32));
    for _ in 0..ROUNDS {
        for v in &mut acc {
            *v = _mm256_fmadd_ps(*v, a, b);
        }
    }
    // Every lane of every chain reaches the result, so none can be left out.
    let sum = acc.iter().fold(_mm256_setzero_ps(), |s, v| _mm256_add_ps(s, *v));
    let half = _mm_add_ps(_mm256_castps256_ps128(sum), _mm256_extractf128_ps::<1>(sum));
    let pairs = _mm_hadd_ps(half, half);
    _mm_cvtss_f32(_mm_hadd_ps(pairs, pairs))
}

/// The portable loop: the compiler vectorises `CHAINS × 4` independent multiply-adds.
fn fma_chains_portable(seed: f32) -> f32 {
    let mut acc: [[f32; 4]; CHAINS] = core::array::from_fn(|i| [seed + i as f32; 4]);
    for _ in 0..ROUNDS {
        for chain in &mut acc {
            for v in chain.iter_mut() {
                *v = *v * 0.999_9 + 1e-4;
            }
        }
    }
    acc.iter().flatten().sum()
}

/// Times the peak loop as `name` in `group`; returns its GFLOP count per call.
pub fn peak(group: &mut BenchmarkGroup<'_, WallTime>, name: &str) {
    #[cfg(target_arch = "x86_64")]
    let (run, lanes): (fn(f32) -> f32, usize) = if is_x86_feature_detected!("avx512f") {
        // SAFETY: the processor has AVX-512F, checked just above.
        (|s| unsafe { fma_chains_avx512(s) }, 16 * CHAINS)
    } else if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma") {
        // SAFETY: the processor has AVX2 and FMA, checked just above.
        (|s| unsafe { fma_chains_avx2(s) }, 8 * 12)
    } else {
        (fma_chains_portable, 4 * CHAINS)
    };
    #[cfg(not(target_arch = "x86_64"))]
    let (run, lanes): (fn(f32) -> f32, usize) = (fma_chains_portable, 4 * CHAINS);
    group.throughput(Throughput::Elements((2 * lanes * ROUNDS) as u64));
    group.bench_function(name, |bench| bench.iter(|| black_box(run(black_box(0.5)))));
}

/// Side of the square sgemm.
pub const SGEMM_SIDE: usize = 1024;

/// Times `C = A · B` on `SGEMM_SIDE`² matrices by matrixmultiply (single thread, its own
/// run-time choice of AVX/FMA kernels) as `name` in `group`.
pub fn sgemm(group: &mut BenchmarkGroup<'_, WallTime>, name: &str) {
    use nalgebra::DMatrix;
    let n = SGEMM_SIDE;
    let a = DMatrix::<f32>::from_fn(n, n, |r, c| ((r * 7 + c * 3) % 13) as f32 / 13.0 - 0.5);
    let b = DMatrix::<f32>::from_fn(n, n, |r, c| ((r * 5 + c * 11) % 17) as f32 / 17.0 - 0.5);
    let mut c = DMatrix::<f32>::zeros(n, n);
    group.throughput(Throughput::Elements((2 * n * n * n) as u64));
    group.bench_function(name, |bench| {
        bench.iter(|| {
            c.gemm(1.0, black_box(&a), black_box(&b), 0.0);
            black_box(c[(0, 0)])
        })
    });
}
