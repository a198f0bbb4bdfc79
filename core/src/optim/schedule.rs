//! Learning-rate schedules: how the step size changes from one epoch to the next.
//!
//! A [`Schedule`] maps the initial learning rate and an epoch number to the rate for that
//! epoch, with the closed forms of PyTorch's `StepLR`, `ExponentialLR` and
//! `CosineAnnealingLR`. It is a pure function: it sets the rate of any optimizer that
//! implements [`LearningRate`] and keeps no state, so restarting a run at epoch `e` gives
//! the same rates. A closure `|initial, epoch| rate` is a schedule too.
//!
//! ```
//! use ferroflow_core::optim::schedule::{Schedule, StepDecay};
//! use ferroflow_core::optim::{GradientDescent, LearningRate};
//! let schedule = StepDecay { every: 10, factor: 0.5 };
//! let mut sgd = GradientDescent::new(0.01f32);
//! schedule.apply(&mut sgd, 0.01, 25);
//! assert_eq!(sgd.learning_rate(), 0.0025);
//! ```

use super::LearningRate;
use crate::Element;

/// A learning rate for every epoch.
pub trait Schedule {
    /// The learning rate for `epoch` (counting from 0), given the rate at epoch 0.
    fn learning_rate(&self, initial: f64, epoch: usize) -> f64;

    /// Sets `optimizer`'s learning rate to the rate for `epoch`.
    fn apply<T: Element, O: LearningRate<T> + ?Sized>(
        &self,
        optimizer: &mut O,
        initial: T,
        epoch: usize,
    ) {
        optimizer.set_learning_rate(T::from_f64(self.learning_rate(initial.to_f64(), epoch)));
    }
}

/// The same rate every epoch.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Unchanged;

impl Schedule for Unchanged {
    fn learning_rate(&self, initial: f64, _epoch: usize) -> f64 {
        initial
    }
}

/// Multiplies the rate by `factor` every `every` epochs (PyTorch's `StepLR`):
/// `η_e = η₀ · factor^⌊e / every⌋`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StepDecay {
    /// How many epochs between two decays (at least 1).
    pub every: usize,
    /// The factor applied at each decay (PyTorch's `gamma`, often 0.1 or 0.5).
    pub factor: f64,
}

impl Schedule for StepDecay {
    fn learning_rate(&self, initial: f64, epoch: usize) -> f64 {
        let decays = epoch / self.every.max(1);
        initial * libm::pow(self.factor, decays as f64)
    }
}

/// Multiplies the rate by `factor` every epoch (PyTorch's `ExponentialLR`):
/// `η_e = η₀ · factorᵉ`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Exponential {
    /// The factor applied each epoch (PyTorch's `gamma`, e.g. 0.95).
    pub factor: f64,
}

impl Schedule for Exponential {
    fn learning_rate(&self, initial: f64, epoch: usize) -> f64 {
        initial * libm::pow(self.factor, epoch as f64)
    }
}

/// Half a cosine from the initial rate down to `min` over `epochs` epochs (PyTorch's
/// `CosineAnnealingLR` without restarts):
/// `η_e = min + (η₀ − min) · (1 + cos(π e / epochs)) / 2`, and `min` after `epochs`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cosine {
    /// The number of epochs the decay takes (PyTorch's `T_max`).
    pub epochs: usize,
    /// The rate it ends at (PyTorch's `eta_min`).
    pub min: f64,
}

impl Schedule for Cosine {
    fn learning_rate(&self, initial: f64, epoch: usize) -> f64 {
        // PyTorch's closed form climbs back up after T_max; holding the minimum is what a
        // run longer than planned wants.
        let progress = epoch.min(self.epochs) as f64 / self.epochs.max(1) as f64;
        self.min + (initial - self.min) * (1.0 + libm::cos(core::f64::consts::PI * progress)) / 2.0
    }
}

impl<F: Fn(f64, usize) -> f64> Schedule for F {
    fn learning_rate(&self, initial: f64, epoch: usize) -> f64 {
        self(initial, epoch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optim::{GradientDescent, Momentum};

    #[test]
    fn closed_forms_give_known_values() {
        let step = StepDecay { every: 3, factor: 0.1 };
        let rates: [f64; 7] = core::array::from_fn(|e| step.learning_rate(1.0, e));
        let expected = [1.0, 1.0, 1.0, 0.1, 0.1, 0.1, 0.010000000000000002];
        assert_eq!(rates, expected);

        let exponential = Exponential { factor: 0.5 };
        assert_eq!(exponential.learning_rate(0.8, 3), 0.1);

        let cosine = Cosine { epochs: 4, min: 0.1 };
        assert_eq!(cosine.learning_rate(1.0, 0), 1.0);
        // Halfway, cos(π/2) = 0: the midpoint of 1 and 0.1.
        assert!((cosine.learning_rate(1.0, 2) - 0.55).abs() < 1e-15);
        // A quarter of the way, (1 + cos(π/4)) / 2 = 0.853553…
        assert!((cosine.learning_rate(1.0, 1) - (0.1 + 0.9 * 0.8535533905932737)).abs() < 1e-15);
        assert_eq!(cosine.learning_rate(1.0, 4), 0.1);
        assert_eq!(cosine.learning_rate(1.0, 9), 0.1);
        assert_eq!(Unchanged.learning_rate(0.3, 100), 0.3);
    }

    #[test]
    fn sets_the_rate_of_any_optimizer() {
        let mut sgd = GradientDescent::new(1.0f32);
        Exponential { factor: 0.5 }.apply(&mut sgd, 1.0, 2);
        assert_eq!(sgd.learning_rate, 0.25);

        let mut momentum = Momentum::<f64, crate::Matrix<f64, 1, 2>>::new(0.1, 0.9);
        let warmup = |initial: f64, epoch: usize| initial * ((epoch + 1) as f64 / 5.0).min(1.0);
        warmup.apply(&mut momentum, 0.1, 1);
        assert!((momentum.learning_rate - 0.04).abs() < 1e-17);
    }
}
