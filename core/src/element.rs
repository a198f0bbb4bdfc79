//! The element trait: the floating-point types a network computes in (`f32`, `f64`).

use core::fmt::{Debug, Display};
use core::ops::{Add, AddAssign, Div, Mul, MulAssign, Neg, Sub, SubAssign};

pub(crate) mod sealed {
    /// Closes [`Element`](super::Element) to `f32` and `f64`. Its supertraits carry the
    /// kernels' steps that each type takes with instructions of its own and the kernels
    /// compiled once for each type (they live with the kernels, `kernels::steps` and
    /// `kernels::compiled`); this adds what the heap needs of the type.
    pub trait Sealed: crate::kernels::steps::Steps + crate::kernels::compiled::Compiled {
        /// A matrix of zeros allocated zeroed on the heap, never built on the stack.
        #[cfg(feature = "alloc")]
        fn zeroed_box<const R: usize, const C: usize>()
        -> alloc::boxed::Box<crate::Matrix<Self, R, C>>;
    }

    // Both types' zero is all zero bits (`bytemuck::Zeroable`).
    impl Sealed for f32 {
        #[cfg(feature = "alloc")]
        fn zeroed_box<const R: usize, const C: usize>()
        -> alloc::boxed::Box<crate::Matrix<Self, R, C>> {
            bytemuck::zeroed_box()
        }
    }

    impl Sealed for f64 {
        #[cfg(feature = "alloc")]
        fn zeroed_box<const R: usize, const C: usize>()
        -> alloc::boxed::Box<crate::Matrix<Self, R, C>> {
            bytemuck::zeroed_box()
        }
    }
}

/// A floating-point element type: `f32` or `f64`.
///
/// The maths goes through `libm`, so it is the same with and without `std` (and gives the
/// same bits on a microcontroller as on the host).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an element type of ferroflow",
    label = "networks compute in `f32` or `f64`, not `{Self}`",
    note = "write the element type as `f32` or `f64`"
)]
pub trait Element:
    sealed::Sealed
    + nalgebra::Scalar
    + Copy
    + Default
    + Debug
    + Display
    + PartialOrd
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
    + AddAssign
    + SubAssign
    + MulAssign
    + Send
    + Sync
    + 'static
{
    /// 0.
    const ZERO: Self;
    /// 1.
    const ONE: Self;
    /// The smallest positive normal value: logarithms clamp their input here so that
    /// `log(0)` gives a large finite number instead of `-inf`.
    const MIN_POSITIVE: Self;
    /// The name of the type as Rust spells it (`"f32"`), for messages and file formats.
    const NAME: &'static str;

    /// Converts from `f64`, rounding to the nearest value of `Self`.
    fn from_f64(x: f64) -> Self;
    /// Converts to `f64` exactly.
    fn to_f64(self) -> f64;
    /// Converts a count (a batch size, a width) to `Self`.
    fn from_usize(n: usize) -> Self {
        Self::from_f64(n as f64)
    }
    /// `e^self`.
    fn exp(self) -> Self;
    /// The natural logarithm.
    fn ln(self) -> Self;
    /// The hyperbolic tangent.
    fn tanh(self) -> Self;
    /// The square root.
    fn sqrt(self) -> Self;
    /// The larger of two values (`NaN` loses to a number).
    fn max(self, other: Self) -> Self;
    /// Whether the value is a number, neither `NaN` nor infinite.
    fn is_finite(self) -> bool;
    /// `self · a + b`, rounded once where the target has FMA instructions and `std` is
    /// linked (the kernels' inner loops use it), and as a multiply then an add elsewhere:
    /// without hardware FMA a correctly rounded fused operation is a slow library call.
    /// So results can differ in the last bit between such builds.
    fn mul_add(self, a: Self, b: Self) -> Self;
    /// `e^self` as straight-line arithmetic that vectorises, for the activations' loops:
    /// for `f32` a polynomial within 4e-7 relative error of the exact value
    /// (the crate-private `kernels::exp::exp_f32` says where and how), for `f64` the same
    /// as [`exp`](Element::exp).
    fn fast_exp(self) -> Self;
}

macro_rules! impl_element {
    ($t:ident, $exp:ident, $ln:ident, $tanh:ident, $sqrt:ident, $fast_exp:path) => {
        impl Element for $t {
            const ZERO: Self = 0.0;
            const ONE: Self = 1.0;
            const MIN_POSITIVE: Self = $t::MIN_POSITIVE;
            const NAME: &'static str = stringify!($t);

            #[inline(always)]
            fn from_f64(x: f64) -> Self {
                x as $t
            }
            #[inline(always)]
            fn to_f64(self) -> f64 {
                self as f64
            }
            #[inline(always)]
            fn exp(self) -> Self {
                libm::$exp(self)
            }
            #[inline(always)]
            fn ln(self) -> Self {
                libm::$ln(self)
            }
            #[inline(always)]
            fn tanh(self) -> Self {
                libm::$tanh(self)
            }
            #[inline(always)]
            fn sqrt(self) -> Self {
                // Both are IEEE's correctly rounded square root, so the bits are the same;
                // the standard library's is the instruction, which vectorises (Adam's
                // update is a loop of them), libm's a call.
                #[cfg(feature = "std")]
                {
                    <$t>::sqrt(self)
                }
                #[cfg(not(feature = "std"))]
                {
                    libm::$sqrt(self)
                }
            }
            #[inline(always)]
            fn max(self, other: Self) -> Self {
                // libm's fmax without the call: a NaN loses to a number, as there. Two
                // comparisons and a select, which vectorise in the loops around.
                if other.is_nan() || self > other { self } else { other }
            }
            #[inline(always)]
            fn is_finite(self) -> bool {
                <$t>::is_finite(self)
            }
            #[inline(always)]
            fn fast_exp(self) -> Self {
                $fast_exp(self)
            }
            #[inline(always)]
            fn mul_add(self, a: Self, b: Self) -> Self {
                #[cfg(all(feature = "std", target_feature = "fma"))]
                {
                    <$t>::mul_add(self, a, b)
                }
                #[cfg(not(all(feature = "std", target_feature = "fma")))]
                {
                    self * a + b
                }
            }
        }
    };
}

impl_element!(f32, expf, logf, tanhf, sqrtf, crate::kernels::exp::exp_f32);
impl_element!(f64, exp, log, tanh, sqrt, libm::exp);

#[cfg(test)]
mod tests {
    use super::Element;

    #[test]
    fn maths_matches_known_values() {
        assert!((Element::exp(1.0f64) - core::f64::consts::E).abs() < 1e-15);
        assert!((Element::ln(core::f64::consts::E) - 1.0f64).abs() < 1e-15);
        assert!((Element::tanh(0.5f64) - 0.46211715726000974).abs() < 1e-15);
        assert_eq!(Element::max(f32::NAN, 1.0f32), 1.0);
        assert_eq!(Element::max(1.0f32, f32::NAN), 1.0);
        assert_eq!(Element::max(-2.0f64, 3.0), 3.0);
        assert_eq!(Element::max(3.0f64, -2.0), 3.0);
        assert!(Element::max(f64::NAN, f64::NAN).is_nan());
        assert_eq!(<f32 as Element>::NAME, "f32");
        assert_eq!(f32::from_f64(0.1), 0.1f32);
    }
}
