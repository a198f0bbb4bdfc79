//! Gradient descent with momentum (PyTorch's `SGD` with `momentum`, and Nesterov's variant).

use super::state::{PerParameter, Rule, runs};
use super::{LearningRate, Optimizer, OptimizerFor, SameModel};
use crate::Element;

/// Gradient descent with momentum, as PyTorch's `torch.optim.SGD` defines it.
///
/// Each parameter keeps a velocity `b`. With momentum `μ`, dampening `τ` and weight decay
/// `λ`, one step is
///
/// ```text
/// g ← ∇θ + λ θ
/// b ← g                      on the first step
/// b ← μ b + (1 − τ) g        afterwards
/// d ← g + μ b  (Nesterov)    or    d ← b
/// θ ← θ − η d
/// ```
///
/// `G` is the gradients type of the model it updates, and the velocities are a value of it
/// (see [`PerParameter`]): `Momentum::new(..)` learns `G` from the model it first trains,
/// and cannot train a model of another shape.
///
/// ```
/// use ferroflow_core::optim::{Momentum, Parameters};
/// use ferroflow_core::{Identity, Perceptron};
/// use ferroflow_core::matrix::from_rows;
/// let mut layer = Perceptron::<f64, 1, 1, Identity>::zeros();
/// // The gradient of the one weight is 1 at every step.
/// let grads = layer.parameter_gradients(&from_rows([[1.0]]), &from_rows([[1.0]]));
/// let mut optimizer = Momentum::new(0.1, 0.9);
/// for _ in 0..2 {
///     layer.apply_gradients(&grads, &mut optimizer);
/// }
/// // Velocities 1 and 0.9 · 1 + 1 = 1.9: w = −0.1 · (1 + 1.9).
/// assert!((layer.weights[(0, 0)] + 0.29).abs() < 1e-15);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Momentum<T: Element, G> {
    /// The step size `η`.
    pub learning_rate: T,
    /// The momentum `μ`: how much of the velocity survives a step (PyTorch has no default;
    /// 0.9 is the usual choice).
    pub momentum: T,
    /// The dampening `τ` of new gradients in the velocity (PyTorch's default: 0).
    pub dampening: T,
    /// Nesterov's accelerated gradient: step along `g + μ b` instead of `b` (default: off).
    pub nesterov: bool,
    /// L2 weight decay `λ`, added to the gradient as `λ θ` (default: 0).
    pub weight_decay: T,
    steps: u64,
    velocity: G,
}

impl<T: Element, G: PerParameter<T>> Momentum<T, G> {
    /// Momentum `momentum` with step size `learning_rate`, and PyTorch's defaults for the
    /// rest: no dampening, no Nesterov, no weight decay.
    pub fn new(learning_rate: T, momentum: T) -> Self {
        Self {
            learning_rate,
            momentum,
            dampening: T::ZERO,
            nesterov: false,
            weight_decay: T::ZERO,
            steps: 0,
            velocity: super::state::zero_state::<T, G>(),
        }
    }

    /// The same optimizer with Nesterov's accelerated gradient.
    pub fn with_nesterov(mut self) -> Self {
        self.nesterov = true;
        self
    }

    /// The same optimizer with dampening `τ`.
    pub fn with_dampening(mut self, dampening: T) -> Self {
        self.dampening = dampening;
        self
    }

    /// The same optimizer with L2 weight decay `λ`.
    pub fn with_weight_decay(mut self, weight_decay: T) -> Self {
        self.weight_decay = weight_decay;
        self
    }

    /// The number of steps begun so far.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// The velocity of every parameter, shaped as the model's gradients.
    pub fn velocity(&self) -> &G {
        &self.velocity
    }

    /// Forgets the velocities and the step count, as a new optimizer would.
    pub fn reset(&mut self) {
        self.steps = 0;
        self.velocity.reset();
    }
}

impl<T: Element, G: PerParameter<T>> Momentum<T, G> {
    /// This step's rule, apart from the velocities.
    fn rule(&self) -> MomentumRule<T> {
        MomentumRule {
            rate: self.learning_rate,
            momentum: self.momentum,
            keep: T::ONE - self.dampening,
            nesterov: self.nesterov,
            decay: self.weight_decay,
            first: self.steps <= 1,
        }
    }
}

impl<T: Element, G: PerParameter<T>> Optimizer<T> for Momentum<T, G> {
    fn begin_step(&mut self) {
        self.steps += 1;
    }

    // Always inlined, as Adam's: the lookup of the state then folds away (tests/no-panic).
    #[inline(always)]
    fn update(&mut self, offset: usize, params: &mut [T], gradients: &[T]) {
        debug_assert!(self.steps > 0, "call Optimizer::begin_step before update");
        debug_assert_eq!(params.len(), gradients.len());
        let rule = self.rule();
        let velocity =
            runs([&mut self.velocity], MomentumRule::<T>::OPTIMIZER, offset, params.len());
        rule.apply(velocity, params, gradients);
    }

    fn split_at(
        &mut self,
        offset: usize,
        len: usize,
        at: usize,
        both: &mut dyn FnMut(&mut super::Part<'_, T>, &mut super::Part<'_, T>),
    ) -> bool {
        let rule = self.rule();
        let velocity = runs([&mut self.velocity], MomentumRule::<T>::OPTIMIZER, offset, len);
        super::state::split(rule, velocity, offset, at, both);
        true
    }
}

// As for `Adam`: for any `G`, with `G = S` asked of `G`, so a mismatch is one short error.
#[diagnostic::do_not_recommend]
impl<T: Element, G: SameModel<S>, S: PerParameter<T>> OptimizerFor<T, G> for Momentum<T, S> {}

/// One step of [`Momentum`] for one tensor, given its velocities.
#[derive(Clone, Copy)]
struct MomentumRule<T> {
    rate: T,
    momentum: T,
    keep: T,
    nesterov: bool,
    decay: T,
    /// The first step sets the velocity to the gradient, as PyTorch does.
    first: bool,
}

impl<T: Element> Rule<T, 1> for MomentumRule<T> {
    const OPTIMIZER: &'static str = "Momentum";

    #[inline]
    fn apply(&self, [velocity]: [&mut [T]; 1], params: &mut [T], gradients: &[T]) {
        let (rate, mu, keep, decay) = (self.rate, self.momentum, self.keep, self.decay);
        for ((p, &g), b) in params.iter_mut().zip(gradients).zip(velocity) {
            let g = if decay == T::ZERO { g } else { g + decay * *p };
            *b = if self.first { g } else { mu * *b + keep * g };
            let direction = if self.nesterov { g + mu * *b } else { *b };
            *p -= rate * direction;
        }
    }
}

impl<T: Element, G: PerParameter<T>> LearningRate<T> for Momentum<T, G> {
    fn learning_rate(&self) -> T {
        self.learning_rate
    }
    fn set_learning_rate(&mut self, learning_rate: T) {
        self.learning_rate = learning_rate;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Matrix;

    /// The state of a model of `N` parameters in one tensor.
    type Flat<const N: usize> = Matrix<f64, 1, N>;

    /// PyTorch's pseudo-code for one tensor, written out independently, in f64.
    fn reference(
        steps: &[[f64; 3]],
        start: [f64; 3],
        (rate, mu, tau, decay, nesterov): (f64, f64, f64, f64, bool),
    ) -> [f64; 3] {
        let mut theta = start;
        let mut buf: Option<[f64; 3]> = None;
        for grad in steps {
            let g: [f64; 3] = core::array::from_fn(|i| grad[i] + decay * theta[i]);
            let b = match buf {
                None => g,
                Some(b) => core::array::from_fn(|i| mu * b[i] + (1.0 - tau) * g[i]),
            };
            buf = Some(b);
            for i in 0..3 {
                theta[i] -= rate * if nesterov { g[i] + mu * b[i] } else { b[i] };
            }
        }
        theta
    }

    #[test]
    fn matches_pytorchs_definition_for_every_option() {
        let grads = [[1.0, -2.0, 0.5], [0.25, 1.0, -1.5], [-3.0, 0.0, 2.0], [0.5, 0.5, 0.5]];
        let start = [0.3, -0.7, 1.1];
        for &(mu, tau, decay, nesterov) in &[
            (0.9, 0.0, 0.0, false),
            (0.9, 0.0, 0.0, true),
            (0.5, 0.3, 0.0, false),
            (0.8, 0.1, 0.01, true),
        ] {
            let mut optimizer =
                Momentum::<f64, Flat<5>>::new(0.1, mu).with_dampening(tau).with_weight_decay(decay);
            optimizer.nesterov = nesterov;
            // The tensor sits at offset 2 of a 5-parameter model.
            let mut theta = start;
            for g in &grads {
                optimizer.begin_step();
                optimizer.update(2, &mut theta, g);
            }
            let expected = reference(&grads, start, (0.1, mu, tau, decay, nesterov));
            for i in 0..3 {
                assert!(
                    (theta[i] - expected[i]).abs() < 1e-14,
                    "μ {mu} τ {tau} λ {decay} nesterov {nesterov}: {theta:?} vs {expected:?}"
                );
            }
            assert_eq!(optimizer.velocity().as_slice()[..2], [0.0, 0.0]);
        }
    }

    #[test]
    fn a_constant_gradient_builds_the_geometric_velocity() {
        // With gradient g every step, the velocity after n steps is g (1 − μⁿ) / (1 − μ).
        let (g, mu) = (2.0f64, 0.75);
        let mut optimizer = Momentum::<f64, Flat<1>>::new(0.01, mu);
        let mut w = [0.0];
        for n in 1..=30 {
            optimizer.begin_step();
            optimizer.update(0, &mut w, &[g]);
            let analytic = g * (1.0 - mu.powi(n)) / (1.0 - mu);
            assert!((optimizer.velocity()[0] - analytic).abs() < 1e-12, "step {n}");
        }
    }

    #[test]
    fn converges_to_the_minimum_of_a_quadratic() {
        // f(θ) = ½ Σ aᵢ (θᵢ − cᵢ)², minimum at c, with curvatures 100 apart.
        let (a, c) = ([1.0f64, 10.0, 100.0], [1.0, -2.0, 0.5]);
        for nesterov in [false, true] {
            let mut optimizer = Momentum::<f64, Flat<3>>::new(0.009, 0.9);
            optimizer.nesterov = nesterov;
            let mut theta = [0.0f64; 3];
            for _ in 0..1000 {
                let g: [f64; 3] = core::array::from_fn(|i| a[i] * (theta[i] - c[i]));
                optimizer.begin_step();
                optimizer.update(0, &mut theta, &g);
            }
            for i in 0..3 {
                assert!((theta[i] - c[i]).abs() < 1e-9, "nesterov {nesterov}: {theta:?}");
            }
        }
    }
}
