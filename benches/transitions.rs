//! What a single wide instruction costs the scalar code after it: why a network's pass
//! enters the AVX2 variant and not the AVX-512 one on AVX-512 processors
//! (`kernels::isa::pass_variant`), and why the tutorial graph's passes of fewer than 4096
//! multiply-adds stay in the build's own (SSE2) code (`kernels::isa::widest`).
//!
//! Each benchmark runs one short chain of dependent scalar multiplies and adds (about what
//! one `exp` is), preceded by nothing, by one 256-bit add, or by one 512-bit add. The wide
//! add's own cost is a cycle; any difference beyond that is what the processor charges the
//! scalar code that follows. Run with `cargo bench --bench transitions`; on a processor
//! without AVX-512 (or AVX2) the wider rows are skipped.

// The wide adds are functions compiled for a vector extension: sound only on a processor
// that has it, which `is_x86_feature_detected!` checks before each is benchmarked.
#![allow(unsafe_code)]

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

/// Links of the dependent chain: 20 multiply-add pairs, about 160 cycles of latency.
const LINKS: usize = 20;

/// The scalar chain, compiled as the build's target compiles plain `f32` arithmetic.
#[inline(never)]
fn chain(mut x: f32) -> f32 {
    let (m, a) = (black_box(1.000_000_1f32), black_box(1e-7f32));
    for _ in 0..LINKS {
        x = x * m + a;
    }
    x
}

/// One 256-bit add on values the compiler cannot see.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
#[inline(never)]
fn one_256_bit_add(v: &[f32; 8]) -> [f32; 8] {
    use std::arch::x86_64::{_mm256_add_ps, _mm256_loadu_ps, _mm256_storeu_ps};
    let mut out = [0.0; 8];
    // SAFETY: `v` and `out` hold 8 floats each; the caller checked the feature.
    unsafe {
        let x = _mm256_loadu_ps(v.as_ptr());
        _mm256_storeu_ps(out.as_mut_ptr(), _mm256_add_ps(x, x));
    }
    out
}

/// One 512-bit add on values the compiler cannot see.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
#[inline(never)]
fn one_512_bit_add(v: &[f32; 16]) -> [f32; 16] {
    use std::arch::x86_64::{_mm512_add_ps, _mm512_loadu_ps, _mm512_storeu_ps};
    let mut out = [0.0; 16];
    // SAFETY: `v` and `out` hold 16 floats each; the caller checked the feature.
    unsafe {
        let x = _mm512_loadu_ps(v.as_ptr());
        _mm512_storeu_ps(out.as_mut_ptr(), _mm512_add_ps(x, x));
    }
    out
}

fn transitions(c: &mut Criterion) {
    let mut group = c.benchmark_group("scalar chain after one wide instruction");
    group.bench_function("chain alone", |bench| bench.iter(|| chain(black_box(1.0))));
    #[cfg(target_arch = "x86_64")]
    {
        if is_x86_feature_detected!("avx2") {
            let v = [1.0f32; 8];
            group.bench_function("256-bit add, then the chain", |bench| {
                bench.iter(|| {
                    // SAFETY: the processor runs AVX2 (checked above).
                    let wide = unsafe { one_256_bit_add(black_box(&v)) };
                    chain(black_box(wide[0]))
                })
            });
        }
        if is_x86_feature_detected!("avx512f") {
            let v = [1.0f32; 16];
            group.bench_function("512-bit add, then the chain", |bench| {
                bench.iter(|| {
                    // SAFETY: the processor runs AVX-512F (checked above).
                    let wide = unsafe { one_512_bit_add(black_box(&v)) };
                    chain(black_box(wide[0]))
                })
            });
        }
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(std::time::Duration::from_secs(1))
        .measurement_time(std::time::Duration::from_secs(3));
    targets = transitions
}
criterion_main!(benches);
