//! The steps of the kernels that `f32` and `f64` take with instructions of their own: a
//! multiply-add rounded once, and the reduction of four dot products' partial sums (in
//! AVX-512 vectors for `f32`). `Element` has this trait as a supertrait, so the kernels
//! call them on any element type, while what they do stays here, with the kernels.

use super::{LANES, reduce};

/// The per-type kernel steps (implemented for `f32` and `f64` only: `Element` is sealed).
pub trait Steps: Copy + core::ops::Add<Output = Self> {
    /// Four dot products' [`LANES`] partial sums, each added halves onto halves.
    #[inline(always)]
    fn pairwise4(acc: &[[Self; LANES]; 4]) -> [Self; 4] {
        reduce::pairwise4(acc)
    }

    /// [`pairwise4`](Steps::pairwise4) in AVX-512 vectors where the type has them
    /// (`f32`), the same bits.
    ///
    /// # Safety
    /// The processor runs AVX-512F: call it only from code compiled for that set.
    #[inline(always)]
    #[allow(unsafe_code)]
    unsafe fn pairwise4_avx512(acc: &[[Self; LANES]; 4]) -> [Self; 4] {
        reduce::pairwise4(acc)
    }

    /// `self · a + b` rounded once: the kernels' multiply-add where the instruction set
    /// they were compiled for has FMA (`kernels::isa`). Without `std` no such variant
    /// exists, and this is the two roundings of `Element::mul_add` there.
    fn fused_mul_add(self, a: Self, b: Self) -> Self;

    /// `Element::fast_exp` with its multiply-adds rounded once ([`fused_mul_add`]): the
    /// `exp` of the variants chosen at run time (`kernels::elementwise`). For `f64`, whose
    /// `fast_exp` is libm's, the same.
    ///
    /// [`fused_mul_add`]: Steps::fused_mul_add
    fn fused_exp(self) -> Self;
}

/// [`Steps::fused_mul_add`] for a type with an inherent `mul_add` (with `std`).
macro_rules! fused {
    ($t:ty) => {
        #[inline(always)]
        fn fused_mul_add(self, a: Self, b: Self) -> Self {
            #[cfg(feature = "std")]
            {
                <$t>::mul_add(self, a, b)
            }
            #[cfg(not(feature = "std"))]
            {
                self * a + b
            }
        }
    };
}

impl Steps for f32 {
    #[cfg(all(target_arch = "x86_64", target_feature = "avx512f"))]
    #[inline(always)]
    fn pairwise4(acc: &[[Self; LANES]; 4]) -> [Self; 4] {
        reduce::pairwise4_avx512(acc)
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    #[allow(unsafe_code)]
    unsafe fn pairwise4_avx512(acc: &[[Self; LANES]; 4]) -> [Self; 4] {
        // SAFETY: the caller runs on a processor with AVX-512F (this method's contract).
        #[allow(unsafe_code)]
        unsafe {
            reduce::pairwise4_avx512_unchecked(acc)
        }
    }

    fused!(f32);

    #[inline(always)]
    fn fused_exp(self) -> Self {
        super::exp::exp_f32_with(
            self,
            #[inline(always)]
            |x, y, z| x.fused_mul_add(y, z),
        )
    }
}

impl Steps for f64 {
    fused!(f64);

    #[inline(always)]
    fn fused_exp(self) -> Self {
        crate::Element::fast_exp(self)
    }
}
