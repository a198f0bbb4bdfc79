//! Initialisers: how a layer's weights are drawn before training.
//!
//! The caller passes the RNG, so there is no global state and the same seed gives the same
//! weights on every machine, a microcontroller included. The RNG ferroflow's examples use,
//! `Xoshiro256PlusPlus`, produces the same stream on 32- and 64-bit targets.

#[cfg(feature = "rand")]
use crate::{Element, Matrix};

/// Which distribution a layer's weights are drawn from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Init {
    /// Glorot (Xavier) uniform: `U(−√(6 / (fan_in + fan_out)), +√(6 / (fan_in + fan_out)))`.
    /// Keeps the variance of signals steady through sigmoid and tanh layers.
    Glorot,
    /// He (Kaiming) uniform: `U(−√(6 / fan_in), +√(6 / fan_in))`. Suits ReLU layers, which
    /// silence half their inputs.
    He,
}

impl Init {
    /// The half-width `limit` of the uniform distribution `U(−limit, limit)` for a layer
    /// with `fan_in` inputs and `fan_out` outputs.
    pub fn limit(self, fan_in: usize, fan_out: usize) -> f64 {
        let denominator = match self {
            Init::Glorot => fan_in + fan_out,
            Init::He => fan_in,
        };
        libm::sqrt(6.0 / denominator.max(1) as f64)
    }

    /// A matrix of weights for a layer from `I` inputs to `O` outputs.
    #[cfg(feature = "rand")]
    pub fn weights<T: Element, const I: usize, const O: usize, R: rand::Rng + ?Sized>(
        self,
        rng: &mut R,
    ) -> Matrix<T, I, O> {
        let limit = self.limit(I, O);
        let mut w = crate::matrix::zeros::<T, I, O>();
        // Column by column, i.e. in the order PyTorch's weight tensor lists them.
        for v in w.as_mut_slice() {
            *v = T::from_f64(uniform(rng, -limit, limit));
        }
        w
    }
}

/// A number drawn uniformly from `[lo, hi)`, built from 53 random bits so it is the same
/// on every target.
#[cfg(feature = "rand")]
pub fn uniform<R: rand::Rng + ?Sized>(rng: &mut R, lo: f64, hi: f64) -> f64 {
    let unit = (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64);
    lo + (hi - lo) * unit
}

/// A number from the standard normal distribution (Box–Muller), for making data such as
/// the tutorial's Gaussian clusters without another dependency.
#[cfg(feature = "rand")]
pub fn standard_normal<R: rand::Rng + ?Sized>(rng: &mut R) -> f64 {
    // 1 − u lies in (0, 1], so the logarithm is finite.
    let u1 = 1.0 - uniform(rng, 0.0, 1.0);
    let u2 = uniform(rng, 0.0, 1.0);
    libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(2.0 * core::f64::consts::PI * u2)
}

#[cfg(all(test, feature = "rand"))]
mod tests {
    use super::*;

    #[test]
    fn weights_fill_their_range_and_stay_inside_it() {
        let mut rng = crate::testing::rng(7);
        let w: Matrix<f64, 64, 32> = Init::Glorot.weights(&mut rng);
        let limit = (6.0f64 / 96.0).sqrt();
        assert!(w.iter().all(|v| v.abs() < limit));
        assert!(w.max() > 0.9 * limit && w.min() < -0.9 * limit);
        let mean = w.sum() / w.len() as f64;
        assert!(mean.abs() < 0.02, "mean {mean}");
        assert_eq!(Init::He.limit(6, 100), 1.0);
    }

    #[test]
    fn standard_normal_has_unit_moments() {
        let mut rng = crate::testing::rng(1);
        let n = 100_000;
        let xs: std::vec::Vec<f64> = (0..n).map(|_| standard_normal(&mut rng)).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n as f64;
        assert!(mean.abs() < 0.01 && (var - 1.0).abs() < 0.02, "mean {mean}, variance {var}");
    }
}
