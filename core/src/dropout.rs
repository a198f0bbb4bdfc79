//! Dropout: in training, each value is dropped (set to 0) with probability `rate` and the
//! others scaled by `1 / (1 − rate)`, so that inference, which keeps every value as it is,
//! sees outputs of the same mean ("inverted" dropout, as PyTorch's `nn.Dropout`).

use crate::{Element, Matrix};

/// A dropout layer: which values it drops is decided by its seed and its step, with no heap
/// and no RNG object, so the same seed drops the same values on every target.
///
/// Each training step uses its own mask: [`forward_train`](Dropout::forward_train) and
/// [`backward`](Dropout::backward) apply the mask of the current step, and
/// [`advance`](Dropout::advance) moves to the next (a `network!` network's `train_step`
/// does, after its update).
///
/// ```
/// use ferroflow_core::{Dropout, Matrix};
/// let mut dropout = Dropout::<f64>::new(0.5, 7);
/// let x = Matrix::<f64, 2, 50>::repeat(1.0);
/// let y = dropout.forward_train(&x);
/// // Every value is dropped or doubled: the mean stays near 1.
/// assert!(y.iter().all(|&v| v == 0.0 || v == 2.0));
/// assert!((y.mean() - 1.0).abs() < 0.3);
/// // The gradient passes where the value did, scaled the same.
/// assert_eq!(dropout.backward(&x), y);
/// dropout.advance();
/// assert_ne!(dropout.forward_train(&x), y);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Dropout<T: Element> {
    /// The share of values dropped in training, in `[0, 1)`.
    pub rate: T,
    seed: u64,
    step: u64,
}

impl<T: Element> Dropout<T> {
    /// Dropout of `rate` (in `[0, 1)`) whose masks are drawn from `seed`.
    pub const fn new(rate: T, seed: u64) -> Self {
        Self { rate, seed, step: 0 }
    }

    /// Dropout of `rate` whose seed is drawn from `rng`.
    #[cfg(feature = "rand")]
    pub fn random<R: rand::Rng + ?Sized>(rate: T, rng: &mut R) -> Self {
        Self::new(rate, rng.next_u64())
    }

    /// Draws the masks from `seed` from now on, starting over at step 0.
    pub fn reseed(&mut self, seed: u64) {
        self.seed = seed;
        self.step = 0;
    }

    /// The seed the masks are drawn from.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The number of steps advanced so far.
    pub fn step(&self) -> u64 {
        self.step
    }

    /// Moves to the next training step's mask.
    pub fn advance(&mut self) {
        self.step = self.step.wrapping_add(1);
    }

    /// The training forward pass: `x` with this step's mask applied.
    #[inline]
    pub fn forward_train<const B: usize, const N: usize>(
        &self,
        x: &Matrix<T, B, N>,
    ) -> Matrix<T, B, N> {
        self.masked(x)
    }

    /// The backward pass: the gradient with respect to the input, given the gradient with
    /// respect to the output of [`forward_train`](Dropout::forward_train) at this step.
    #[inline]
    pub fn backward<const B: usize, const N: usize>(
        &self,
        grad: &Matrix<T, B, N>,
    ) -> Matrix<T, B, N> {
        self.masked(grad)
    }

    /// [`forward_train`](Dropout::forward_train) written into `out`.
    #[inline]
    pub fn forward_train_into<const B: usize, const N: usize>(
        &self,
        x: &Matrix<T, B, N>,
        out: &mut Matrix<T, B, N>,
    ) {
        self.mask_into(x, out, |_, v| v);
    }

    /// [`backward`](Dropout::backward) added into `out`, the gradient of the dropout's
    /// input (which other readers of it may add to).
    #[inline]
    pub fn add_backward<const B: usize, const N: usize>(
        &self,
        grad: &Matrix<T, B, N>,
        out: &mut Matrix<T, B, N>,
    ) {
        self.mask_into(grad, out, |o, v| o + v);
    }

    /// `m` with the values of this step's dropped positions set to 0 and the others
    /// scaled by `1 / (1 − rate)`.
    fn masked<const B: usize, const N: usize>(&self, m: &Matrix<T, B, N>) -> Matrix<T, B, N> {
        let mut out = *m;
        self.mask_into(m, &mut out, |_, v| v);
        out
    }

    /// Each value of `out` replaced by `combine(its value, the masked value of m)`.
    #[inline(always)]
    fn mask_into<const B: usize, const N: usize>(
        &self,
        m: &Matrix<T, B, N>,
        out: &mut Matrix<T, B, N>,
        combine: impl Fn(T, T) -> T,
    ) {
        let rate = self.rate.to_f64();
        if rate <= 0.0 {
            for (o, &v) in out.as_mut_slice().iter_mut().zip(m.as_slice()) {
                *o = combine(*o, v);
            }
            return;
        }
        // A position is kept when its 32-bit hash is at or above rate · 2³².
        let threshold = (rate * 4_294_967_296.0).min(4_294_967_295.0) as u32;
        let scale = T::from_f64(1.0 / (1.0 - rate));
        let key = mix(self.seed as u32 ^ mix((self.seed >> 32) as u32 ^ mix(self.step as u32)));
        for (i, (o, &v)) in out.as_mut_slice().iter_mut().zip(m.as_slice()).enumerate() {
            let keep = mix(key ^ (i as u32).wrapping_mul(0x9E37_79B9)) >= threshold;
            *o = combine(*o, if keep { v * scale } else { T::ZERO });
        }
    }
}

/// MurmurHash3's 32-bit finaliser: every bit of the input reaches every bit of the output.
/// Integer arithmetic, so every target draws the same masks.
#[inline(always)]
fn mix(mut h: u32) -> u32 {
    h ^= h >> 16;
    h = h.wrapping_mul(0x85EB_CA6B);
    h ^= h >> 13;
    h = h.wrapping_mul(0xC2B2_AE35);
    h ^ (h >> 16)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;

    #[test]
    fn drops_the_rate_of_values_and_keeps_the_mean() {
        for &rate in &[0.1, 0.5, 0.9] {
            let dropout = Dropout::<f64>::new(rate, 3);
            let x = Matrix::<f64, 64, 64>::repeat(1.0);
            let y = dropout.forward_train(&x);
            let dropped = y.iter().filter(|&&v| v == 0.0).count() as f64 / 4096.0;
            assert!((dropped - rate).abs() < 0.03, "rate {rate}: dropped {dropped}");
            assert!((y.mean() - 1.0).abs() < 0.06, "rate {rate}: mean {}", y.mean());
        }
    }

    #[test]
    fn a_rate_of_zero_keeps_everything() {
        let x = uniform::<3, 4>(&mut rng(1), -1.0, 1.0);
        assert_eq!(Dropout::<f64>::new(0.0, 9).forward_train(&x), x);
    }

    #[test]
    fn backward_matches_finite_differences_at_one_step() {
        let mut rng = rng(4);
        let dropout = Dropout::<f64>::new(0.3, 11);
        let x = uniform::<5, 6>(&mut rng, -1.0, 1.0);
        let w = uniform::<5, 6>(&mut rng, -1.0, 1.0);
        assert_gradient("dropout", &x, &dropout.backward(&w), |x| {
            weighted_sum(&w, &dropout.forward_train(x))
        });
    }

    #[test]
    fn seeds_and_steps_draw_different_masks_and_the_same_seed_the_same() {
        let x = Matrix::<f64, 8, 8>::repeat(1.0);
        let (a, mut b) = (Dropout::<f64>::new(0.5, 1), Dropout::<f64>::new(0.5, 1));
        assert_eq!(a.forward_train(&x), b.forward_train(&x));
        b.advance();
        assert_ne!(a.forward_train(&x), b.forward_train(&x));
        assert_ne!(a.forward_train(&x), Dropout::<f64>::new(0.5, 2).forward_train(&x));
        b.reseed(1);
        assert_eq!(a.forward_train(&x), b.forward_train(&x));
    }
}
