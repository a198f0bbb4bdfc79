//! Integer arithmetic of the int8 path: the affine mapping between reals and `i8`, and
//! the requantisation of an `i32` sum by a real factor held as a fixed-point multiplier
//! and a power-of-two shift.
//!
//! The requantisation follows the rounding of TensorFlow Lite's int8 specification (the
//! gemmlowp primitives it names): a saturating, doubling multiply that keeps the high 32
//! bits, rounded to nearest with ties towards +∞, then a division by a power of two rounded to nearest, ties away from zero.
//! So a sum requantised here and by a TFLM kernel with the same multiplier and shift gives
//! the same `i32`. Everything at inference is integer: nothing here needs an FPU.

/// How one tensor's reals map to `i8`: `real = scale · (q − zero_point)`.
///
/// Activations use the whole range, `zero_point` in `−128..=127`; weights are symmetric
/// (`zero_point` 0) and never use −128, as TFLM's specification asks.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Affine {
    /// The real value of one step.
    pub scale: f32,
    /// The `i8` that stands for the real 0.
    pub zero_point: i8,
}

impl Affine {
    /// The mapping with this scale and zero point.
    pub const fn new(scale: f32, zero_point: i8) -> Self {
        Self { scale, zero_point }
    }

    /// The output of an int8 sigmoid: 0 to 255/256 in steps of 1/256 (TFLM's choice).
    pub const SIGMOID: Self = Self::new(1.0 / 256.0, -128);
    /// The output of an int8 tanh: −1 to 127/128 in steps of 1/128 (TFLM's choice).
    pub const TANH: Self = Self::new(1.0 / 128.0, 0);

    /// The mapping that covers `min..=max` with the 256 values of an `i8`, widened to
    /// hold 0 so that 0 (a ReLU's floor, a zero padding) is exact. An empty or zero range
    /// gets scale 1.
    pub fn covering(min: f64, max: f64) -> Self {
        let (min, max) = (min.min(0.0), max.max(0.0));
        let span = max - min;
        let scale = if span > 0.0 && span.is_finite() { (span / 255.0) as f32 } else { 1.0 };
        // With the scale as stored, the zero point that puts `min` at −128.
        let zero_point = round_to_i32(-128.0 - min / f64::from(scale)).clamp(-128, 127) as i8;
        Self { scale, zero_point }
    }

    /// `x` in this mapping: rounded to nearest (ties away from zero) and saturated; `NaN`
    /// becomes the zero point. In `f32` arithmetic, so a core with a single-precision FPU
    /// (or soft float on one without) computes the same `i8` as the host.
    pub fn quantise(&self, x: f32) -> i8 {
        let steps = x / self.scale;
        // Truncate, then round by the fraction: exact below 2^23 (far past an i8's range),
        // where adding ½ could round up in the addition itself. `as` saturates; NaN is 0.
        let whole = steps as i32;
        let fraction = steps - whole as f32;
        let rounded = whole + i32::from(fraction >= 0.5) - i32::from(fraction <= -0.5);
        saturate_i8(rounded.saturating_add(i32::from(self.zero_point)))
    }

    /// The real value `q` stands for.
    pub fn dequantise(&self, q: i8) -> f32 {
        self.scale * (i32::from(q) - i32::from(self.zero_point)) as f32
    }
}

/// A real factor `m` as `multiplier · 2^(shift − 31)`, with `multiplier` in `[2^30, 2^31)`
/// (or 0 for a factor of 0): the form in which TFLM's kernels take their output scales.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Multiplier {
    /// The significand, a Q0.31 fixed-point number in `[0.5, 1)`.
    pub multiplier: i32,
    /// The power of two: left for positive, right for negative (−31 to 30).
    pub shift: i8,
}

impl Multiplier {
    /// The factor 1: a requantisation that changes nothing.
    pub const ONE: Self = Self { multiplier: 1 << 30, shift: 1 };

    /// `m` (which must be finite and not negative) to the nearest multiplier. A factor too
    /// small to change any `i32` sum (below 2^−32) is 0; one of 2^30 or more saturates.
    pub fn from_real(m: f64) -> Self {
        if m.is_nan() || m <= 0.0 || !m.is_finite() {
            return Self { multiplier: 0, shift: 0 };
        }
        // m = q · 2^exp with q in [0.5, 1), read from the bits (no `frexp` without std).
        let (q, mut exp) = split_exponent(m);
        let mut multiplier = round_to_i64(q * pow2(31));
        if multiplier == 1 << 31 {
            // q rounded up to 1: 2^31 · 2^(exp − 31) is 2^30 · 2^(exp + 1 − 31).
            multiplier /= 2;
            exp += 1;
        }
        if exp < -31 {
            return Self { multiplier: 0, shift: 0 };
        }
        if exp > 30 {
            return Self { multiplier: i32::MAX, shift: 30 };
        }
        Self { multiplier: multiplier as i32, shift: exp as i8 }
    }

    /// The factor this multiplier stands for.
    pub fn to_real(self) -> f64 {
        f64::from(self.multiplier) * pow2(i32::from(self.shift) - 31)
    }

    /// `acc · m`, rounded as TFLM's `MultiplyByQuantizedMultiplier` rounds it: the left
    /// shift, the doubling high multiply rounded to nearest, then the right shift rounded
    /// to nearest, ties away from zero. Where TFLM's left shift would overflow, this one
    /// saturates: the result keeps its sign and is at least 2^30 in magnitude, which every
    /// caller saturates to an `i8`.
    #[inline]
    pub fn apply(self, acc: i32) -> i32 {
        let shift = i32::from(self.shift);
        let left = shift.max(0) as u32;
        let right = (-shift).max(0) as u32;
        let shifted = saturate_i32(i64::from(acc) << left);
        rounding_shift_right(doubling_high_mul(shifted, self.multiplier), right)
    }
}

/// The high 32 bits of `2 · a · b`, rounded to nearest with ties towards +∞; saturates the one case that
/// overflows (`i32::MIN · i32::MIN`).
#[inline]
fn doubling_high_mul(a: i32, b: i32) -> i32 {
    if a == i32::MIN && b == i32::MIN {
        return i32::MAX;
    }
    let product = i64::from(a) * i64::from(b);
    let nudge = if product >= 0 { 1 << 30 } else { 1 - (1 << 30) };
    // Division truncates towards zero, as the C it mirrors does.
    ((product + nudge) / (1i64 << 31)) as i32
}

/// `x / 2^exponent` rounded to nearest, ties away from zero (`exponent` at most 31).
#[inline]
fn rounding_shift_right(x: i32, exponent: u32) -> i32 {
    let exponent = exponent.min(31);
    let mask = ((1i64 << exponent) - 1) as i32;
    let remainder = x & mask;
    let threshold = (mask >> 1) + i32::from(x < 0);
    (x >> exponent) + i32::from(remainder > threshold)
}

/// `m` (positive, finite) as `q · 2^exp` with `q` in `[0.5, 1)`; subnormals are scaled up
/// first.
fn split_exponent(m: f64) -> (f64, i32) {
    let (m, bias) = if m < f64::MIN_POSITIVE { (m * pow2(64), -64) } else { (m, 0) };
    let bits = m.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32 - 1022;
    // The same significand with the exponent of [0.5, 1).
    let q = f64::from_bits((bits & !(0x7ff << 52)) | (1022 << 52));
    (q, exp + bias)
}

/// 2^e exactly, for `e` in −1022..=1023 (`powi` needs std).
fn pow2(e: i32) -> f64 {
    f64::from_bits(((e + 1023) as u64) << 52)
}

/// Rounds to nearest, ties away from zero, saturating (`NaN` is 0).
pub(crate) fn round_to_i32(x: f64) -> i32 {
    round_to_i64(x).clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32
}

fn round_to_i64(x: f64) -> i64 {
    // `as` saturates and sends NaN to 0; adding ½ away from zero then truncating rounds
    // ties away from zero, like `f64::round` (which needs std).
    (if x >= 0.0 { x + 0.5 } else { x - 0.5 }) as i64
}

/// `x` clamped into an `i8`.
#[inline]
pub(crate) fn saturate_i8(x: i32) -> i8 {
    x.clamp(-128, 127) as i8
}

#[inline]
fn saturate_i32(x: i64) -> i32 {
    x.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `acc · multiplier · 2^(shift − 31)` exactly, in i128, rounded to nearest with ties
    /// away from zero: the value the two roundings of `apply` approximate.
    fn exact(acc: i32, m: Multiplier) -> i128 {
        let num = i128::from(acc) * i128::from(m.multiplier);
        let power = 31 - i32::from(m.shift);
        let (num, den) = if power >= 0 { (num, 1i128 << power) } else { (num << -power, 1) };
        let (q, r) = (num / den, num % den);
        if 2 * r.abs() >= den { q + num.signum() } else { q }
    }

    #[test]
    fn multipliers_hold_the_factor_to_31_bits() {
        for &m in &[1.0, 0.5, 0.75, 1e-3, 3.7e-5, 0.999_999_999_9, 2.5, 1234.5, 2f64.powi(-31)] {
            let q = Multiplier::from_real(m);
            assert!(q.multiplier >= 1 << 30, "{m}: {q:?}");
            let error = (q.to_real() - m).abs() / m;
            assert!(error <= 2f64.powi(-31), "{m}: {q:?} is {} off", error);
        }
        assert_eq!(Multiplier::from_real(0.0), Multiplier { multiplier: 0, shift: 0 });
        assert_eq!(Multiplier::from_real(2f64.powi(-40)).multiplier, 0);
        assert_eq!(Multiplier::from_real(f64::NAN).multiplier, 0);
        // q rounds up to 1: carried into the exponent.
        let q = Multiplier::from_real(1.0 - 2f64.powi(-40));
        assert_eq!(q, Multiplier { multiplier: 1 << 30, shift: 1 });
        assert_eq!(Multiplier::ONE.to_real(), 1.0);
    }

    #[test]
    fn requantisation_is_within_one_of_the_exact_product_and_exact_when_it_can_be() {
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut differ = 0;
        for _ in 0..200_000 {
            let acc = (next() as i32) >> (next() % 24);
            let m =
                Multiplier::from_real(f64::from_bits((next() % (1 << 52)) | (1000 << 52)) * 1e-2);
            let (got, want) = (i128::from(m.apply(acc)), exact(acc, m));
            assert!((got - want).abs() <= 1, "{acc} · {m:?}: {got}, exactly {want}");
            differ += usize::from(got != want);
        }
        // Two roundings differ from one only on near-ties: rarely.
        assert!(differ < 200_000 / 100, "{differ} of 200000 off by one");
        // The identity factor and exact halves.
        for acc in [-1_000_000, -3, -1, 0, 1, 2, 7, 1 << 29] {
            assert_eq!(Multiplier::ONE.apply(acc), acc);
        }
        // TFLM's roundings of halves: the high multiply's towards +∞ (−1.5 → −1), the
        // right shift's away from zero (−6/4 → −2, −2/4 → −1).
        let half = Multiplier::from_real(0.5);
        assert_eq!([half.apply(3), half.apply(-3), half.apply(5), half.apply(-5)], [2, -1, 3, -2]);
        let quarter = Multiplier::from_real(0.25);
        assert_eq!([quarter.apply(6), quarter.apply(-6), quarter.apply(-2)], [2, -2, -1]);
        // A left shift that would overflow saturates instead of wrapping: the result keeps
        // its sign and is at least 2^30 in magnitude, far outside an i8 at any zero point.
        let big = Multiplier::from_real(1024.0);
        assert_eq!(big.apply(i32::MAX / 2), 1 << 30);
        assert_eq!(big.apply(i32::MIN / 2), -(1 << 30));
        assert_eq!(big.apply(1000), 1_024_000);
    }

    #[test]
    fn an_affine_mapping_keeps_zero_and_its_ends() {
        let a = Affine::covering(-1.0, 3.0);
        assert_eq!(a.quantise(0.0), a.zero_point);
        assert_eq!(a.dequantise(a.zero_point), 0.0);
        assert_eq!(a.quantise(-1.0), -128);
        assert_eq!(a.quantise(3.0), 127);
        assert_eq!(a.quantise(100.0), 127);
        assert_eq!(a.quantise(f32::NAN), a.zero_point);
        // Halves round away from zero; just below a half does not round up.
        let unit = Affine::new(1.0, 0);
        assert_eq!(
            [unit.quantise(2.5), unit.quantise(-2.5), unit.quantise(0.49999997)],
            [3, -3, 0]
        );
        for x in [-0.9f32, -0.1, 0.3, 1.7, 2.99] {
            assert!((a.dequantise(a.quantise(x)) - x).abs() <= a.scale / 2.0 + 1e-6, "{x}");
        }
        // A range that is all positive (a ReLU's) starts at zero: zero point −128.
        let relu = Affine::covering(0.25, 6.0);
        assert_eq!(relu.zero_point, -128);
        assert_eq!(Affine::covering(0.0, 0.0), Affine::new(1.0, -128));
    }
}
