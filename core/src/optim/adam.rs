//! Adam: adaptive moment estimation (Kingma and Ba, 2015), as PyTorch defines it.

use super::state::{PerParameter, Rule, runs};
use super::{LearningRate, Optimizer, OptimizerFor, SameModel};
use crate::Element;

/// Adam, as PyTorch's `torch.optim.Adam` defines it (without `amsgrad`).
///
/// Each parameter keeps a mean `m` and an uncentred variance `v` of its gradients. At step
/// `t` (counting from 1), with weight decay `λ`:
///
/// ```text
/// g ← ∇θ + λ θ
/// m ← β₁ m + (1 − β₁) g
/// v ← β₂ v + (1 − β₂) g²
/// θ ← θ − η · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)
/// ```
///
/// The fields are read at the start of each step (`begin_step`), so a change between steps
/// applies from the next one.
///
/// The arithmetic follows PyTorch's own order (the mean as a linear interpolation, the
/// bias corrections in `f64`), so results agree with it to rounding. Defaults are
/// PyTorch's: `η = 10⁻³`, `β = (0.9, 0.999)`, `ε = 10⁻⁸`, `λ = 0`.
///
/// `G` is the gradients type of the model it updates, and `m` and `v` are values of it
/// (see [`PerParameter`]): `Adam::new(rate)` learns `G` from the model it first trains,
/// and cannot train a model of another shape.
///
/// ```
/// use ferroflow_core::optim::{Adam, Parameters};
/// use ferroflow_core::{Identity, Perceptron};
/// use ferroflow_core::matrix::from_rows;
/// let mut layer = Perceptron::<f64, 2, 1, Identity>::from_arrays([[1.0, 1.0]], [0.0]);
/// let grads = layer.parameter_gradients(&from_rows([[3.0, -0.5]]), &from_rows([[1.0]]));
/// let mut adam = Adam::new(0.01);
/// layer.apply_gradients(&grads, &mut adam);
/// // The first step moves every parameter by η against the sign of its gradient.
/// let w = layer.weights;
/// assert!((w[(0, 0)] - 0.99).abs() < 1e-9 && (w[(1, 0)] - 1.01).abs() < 1e-9);
/// assert_eq!(adam.steps(), 1);
/// ```
#[derive(Clone, Debug)]
pub struct Adam<T: Element, G> {
    /// The step size `η`.
    pub learning_rate: T,
    /// The decay `β₁` of the gradients' running mean.
    pub beta1: T,
    /// The decay `β₂` of the squared gradients' running mean.
    pub beta2: T,
    /// `ε`, added to the denominator so that a zero variance does not divide by zero.
    pub epsilon: T,
    /// L2 weight decay `λ`, added to the gradient as `λ θ` (PyTorch's `Adam`; not `AdamW`).
    pub weight_decay: T,
    steps: u64,
    /// This step's rule, bias corrections included, computed once per step by `begin_step`
    /// rather than once per run of weights: a network's update hands its layers' weights
    /// over in dozens of runs per step, and the corrections take two `pow`s and a `sqrt`.
    rule: AdamRule<T>,
    mean: G,
    variance: G,
}

/// Equal when the settings, the step count and the moments are: the rule cached for the
/// step follows from those.
impl<T: Element, G: PartialEq> PartialEq for Adam<T, G> {
    fn eq(&self, other: &Self) -> bool {
        (self.learning_rate, self.beta1, self.beta2, self.epsilon, self.weight_decay)
            == (other.learning_rate, other.beta1, other.beta2, other.epsilon, other.weight_decay)
            && self.steps == other.steps
            && self.mean == other.mean
            && self.variance == other.variance
    }
}

impl<T: Element, G: PerParameter<T>> Default for Adam<T, G> {
    /// PyTorch's defaults, learning rate 10⁻³ included.
    fn default() -> Self {
        Self::new(T::from_f64(1e-3))
    }
}

impl<T: Element, G: PerParameter<T>> Adam<T, G> {
    /// Adam with step size `learning_rate` and PyTorch's defaults for the rest.
    pub fn new(learning_rate: T) -> Self {
        let mut adam = Self {
            learning_rate,
            beta1: T::from_f64(0.9),
            beta2: T::from_f64(0.999),
            epsilon: T::from_f64(1e-8),
            weight_decay: T::ZERO,
            steps: 0,
            rule: AdamRule::default(),
            mean: super::state::zero_state::<T, G>(),
            variance: super::state::zero_state::<T, G>(),
        };
        adam.refresh();
        adam
    }

    /// The same optimizer with decays `β₁` and `β₂`.
    pub fn with_betas(mut self, beta1: T, beta2: T) -> Self {
        self.beta1 = beta1;
        self.beta2 = beta2;
        self.refresh();
        self
    }

    /// The same optimizer with `ε`.
    pub fn with_epsilon(mut self, epsilon: T) -> Self {
        self.epsilon = epsilon;
        self.refresh();
        self
    }

    /// The same optimizer with L2 weight decay `λ`.
    pub fn with_weight_decay(mut self, weight_decay: T) -> Self {
        self.weight_decay = weight_decay;
        self.refresh();
        self
    }

    /// The number of steps begun so far: `t`.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// The running mean `m` of every parameter's gradient, shaped as the model's gradients.
    pub fn mean(&self) -> &G {
        &self.mean
    }

    /// The running uncentred variance `v` of every parameter's gradient, shaped as the
    /// model's gradients.
    pub fn variance(&self) -> &G {
        &self.variance
    }

    /// Forgets the moments and the step count, as a new optimizer would.
    pub fn reset(&mut self) {
        self.steps = 0;
        self.refresh();
        self.mean.reset();
        self.variance.reset();
    }

    /// Computes this step's rule from the fields: the bias corrections of step `t` (at
    /// least 1, so that an update before the first `begin_step` divides by nothing
    /// smaller), in f64 as PyTorch computes them in Python floats.
    fn refresh(&mut self) {
        let t = self.steps.max(1) as f64;
        let correction1 = 1.0 - libm::pow(self.beta1.to_f64(), t);
        let correction2 = 1.0 - libm::pow(self.beta2.to_f64(), t);
        self.rule = AdamRule {
            step_size: T::from_f64(self.learning_rate.to_f64() / correction1),
            correction2_sqrt: T::from_f64(libm::sqrt(correction2)),
            beta1: self.beta1,
            beta2: self.beta2,
            epsilon: self.epsilon,
            decay: self.weight_decay,
        };
    }
}

impl<T: Element, G: PerParameter<T>> Optimizer<T> for Adam<T, G> {
    fn begin_step(&mut self) {
        self.steps += 1;
        self.refresh();
    }

    // Always inlined (the rule's loop need not be), so that the lookup of the state at
    // a position known when compiling folds away with its panic (tests/no-panic).
    #[inline(always)]
    fn update(&mut self, offset: usize, params: &mut [T], gradients: &[T]) {
        debug_assert!(self.steps > 0, "call Optimizer::begin_step before update");
        debug_assert_eq!(params.len(), gradients.len());
        let state = [&mut self.mean, &mut self.variance];
        let state = runs(state, AdamRule::<T>::OPTIMIZER, offset, params.len());
        self.rule.apply(state, params, gradients);
    }

    fn split_at(
        &mut self,
        offset: usize,
        len: usize,
        at: usize,
        both: &mut dyn FnMut(&mut super::Part<'_, T>, &mut super::Part<'_, T>),
    ) -> bool {
        let state = [&mut self.mean, &mut self.variance];
        let state = runs(state, AdamRule::<T>::OPTIMIZER, offset, len);
        super::state::split(self.rule, state, offset, at, both);
        true
    }
}

// For any `G`, with `G = S` asked of `G`: a mismatch is then reported as this trait's
// message alone, without rustc's "but it is implemented for `Adam<T, S>`" and its snippet.
#[diagnostic::do_not_recommend]
impl<T: Element, G: SameModel<S>, S: PerParameter<T>> OptimizerFor<T, G> for Adam<T, S> {}

/// One step of [`Adam`] for one tensor, given its moments.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct AdamRule<T> {
    /// `η / (1 − β₁ᵗ)`.
    step_size: T,
    /// `√(1 − β₂ᵗ)`.
    correction2_sqrt: T,
    beta1: T,
    beta2: T,
    epsilon: T,
    decay: T,
}

impl<T: Element> Rule<T, 2> for AdamRule<T> {
    const OPTIMIZER: &'static str = "Adam";

    #[inline]
    fn apply(&self, [mean, variance]: [&mut [T]; 2], params: &mut [T], gradients: &[T]) {
        let AdamRule { step_size, correction2_sqrt, beta1, beta2, epsilon, decay } = *self;
        let (one_minus_beta1, one_minus_beta2) = (T::ONE - beta1, T::ONE - beta2);
        let step = |p: &mut T, g: T, m: &mut T, v: &mut T| {
            *m += one_minus_beta1 * (g - *m);
            *v = beta2 * *v + one_minus_beta2 * g * g;
            let denominator = v.sqrt() / correction2_sqrt + epsilon;
            *p -= step_size * (*m / denominator);
        };
        // Two loops rather than a test in one, so each is a plain vector loop.
        let values = params.iter_mut().zip(gradients).zip(mean).zip(variance);
        if decay == T::ZERO {
            for (((p, &g), m), v) in values {
                step(p, g, m, v);
            }
        } else {
            for (((p, &g), m), v) in values {
                let g = g + decay * *p;
                step(p, g, m, v);
            }
        }
    }
}

impl<T: Element, G: PerParameter<T>> LearningRate<T> for Adam<T, G> {
    fn learning_rate(&self) -> T {
        self.learning_rate
    }
    fn set_learning_rate(&mut self, learning_rate: T) {
        self.learning_rate = learning_rate;
        self.refresh();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Matrix;
    use crate::testing::rng;
    use rand::RngExt;

    /// The state of a model of `N` parameters in one tensor.
    type Flat<T, const N: usize> = Matrix<T, 1, N>;

    /// The textbook algorithm (Kingma and Ba, algorithm 1), written out independently, in
    /// f64: `m̂ = m / (1 − β₁ᵗ)`, `v̂ = v / (1 − β₂ᵗ)`, `θ ← θ − η m̂ / (√v̂ + ε)`.
    struct Textbook {
        m: [f64; 4],
        v: [f64; 4],
        t: i32,
    }

    impl Textbook {
        fn step(&mut self, theta: &mut [f64; 4], g: &[f64; 4], (rate, decay): (f64, f64)) {
            let (b1, b2, eps) = (0.9f64, 0.999f64, 1e-8);
            self.t += 1;
            for i in 0..4 {
                let g = g[i] + decay * theta[i];
                self.m[i] = b1 * self.m[i] + (1.0 - b1) * g;
                self.v[i] = b2 * self.v[i] + (1.0 - b2) * g * g;
                let m_hat = self.m[i] / (1.0 - b1.powi(self.t));
                let v_hat = self.v[i] / (1.0 - b2.powi(self.t));
                theta[i] -= rate * m_hat / (v_hat.sqrt() + eps);
            }
        }
    }

    #[test]
    fn two_steps_by_hand() {
        // Step 1, g = 2: m = 0.2, v = 0.004, m̂ = 2, v̂ = 4, θ = 1 − 0.1 · 2 / (2 + 10⁻⁸).
        // Step 2, g = −1: m = 0.18 − 0.1 = 0.08, v = 0.003996 + 0.001 = 0.004996,
        // m̂ = 0.08 / 0.19, v̂ = 0.004996 / 0.001999.
        let mut adam = Adam::<f64, Flat<f64, 1>>::new(0.1);
        let mut theta = [1.0];
        adam.begin_step();
        adam.update(0, &mut theta, &[2.0]);
        let first = 1.0 - 0.1 * 2.0 / (2.0 + 1e-8);
        assert!((theta[0] - first).abs() < 1e-15, "{}", theta[0]);
        adam.begin_step();
        adam.update(0, &mut theta, &[-1.0]);
        let second = first - 0.1 * (0.08 / 0.19) / ((0.004996f64 / 0.001999).sqrt() + 1e-8);
        assert!((theta[0] - second).abs() < 1e-14, "{} vs {second}", theta[0]);
        assert!((adam.mean()[0] - 0.08).abs() < 1e-15);
        assert!((adam.variance()[0] - 0.004996).abs() < 1e-15);
    }

    #[test]
    fn matches_the_textbook_algorithm_over_many_random_steps() {
        for (seed, decay) in [(0, 0.0), (1, 0.0), (2, 0.05)] {
            let mut rng = rng(seed);
            let mut adam = Adam::<f64, Flat<f64, 6>>::new(0.01).with_weight_decay(decay);
            let mut textbook = Textbook { m: [0.0; 4], v: [0.0; 4], t: 0 };
            let mut theta = [0.5, -0.25, 1.5, 0.0];
            let mut expected = theta;
            for step in 0..200 {
                let g: [f64; 4] = core::array::from_fn(|_| rng.random_range(-3.0..3.0));
                // The tensor is split in two at offsets 1 and 3 of a 6-parameter model.
                adam.begin_step();
                adam.update(1, &mut theta[..2], &g[..2]);
                adam.update(3, &mut theta[2..], &g[2..]);
                textbook.step(&mut expected, &g, (0.01, decay));
                for i in 0..4 {
                    assert!(
                        (theta[i] - expected[i]).abs() < 1e-12,
                        "seed {seed}, step {step}: {theta:?} vs {expected:?}"
                    );
                }
            }
            assert_eq!((adam.mean()[0], adam.mean()[5]), (0.0, 0.0));
        }
    }

    #[test]
    fn f32_agrees_with_f64() {
        let mut a32 = Adam::<f32, Flat<f32, 3>>::new(0.05);
        let mut a64 = Adam::<f64, Flat<f64, 3>>::new(0.05);
        let (mut t32, mut t64) = ([1.0f32, -2.0, 0.5], [1.0f64, -2.0, 0.5]);
        for step in 0..100 {
            let g64: [f64; 3] =
                core::array::from_fn(|i| (t64[i] - i as f64) * (1.0 + step as f64 * 0.01));
            let g32 = g64.map(|g| g as f32);
            a32.begin_step();
            a32.update(0, &mut t32, &g32);
            a64.begin_step();
            a64.update(0, &mut t64, &g64);
        }
        for i in 0..3 {
            assert!((t32[i] as f64 - t64[i]).abs() < 1e-4, "{t32:?} vs {t64:?}");
        }
    }

    #[test]
    fn converges_to_the_minimum_of_a_quadratic() {
        // f(θ) = ½ Σ aᵢ (θᵢ − cᵢ)², curvatures a thousand apart: Adam's steps are scaled per
        // parameter, so every coordinate gets there at about the same pace.
        let (a, c) = ([0.1f64, 1.0, 100.0], [1.0, -2.0, 0.5]);
        let mut adam = Adam::<f64, Flat<f64, 3>>::new(0.05);
        let mut theta = [0.0f64; 3];
        for step in 0..3000 {
            if step == 2000 {
                adam.set_learning_rate(0.001);
            }
            let g: [f64; 3] = core::array::from_fn(|i| a[i] * (theta[i] - c[i]));
            adam.begin_step();
            adam.update(0, &mut theta, &g);
        }
        for i in 0..3 {
            assert!((theta[i] - c[i]).abs() < 1e-3, "{theta:?}");
        }
    }

    #[test]
    fn default_is_pytorchs() {
        let adam = Adam::<f32, Flat<f32, 1>>::default();
        assert_eq!(
            (adam.learning_rate, adam.beta1, adam.beta2, adam.epsilon, adam.weight_decay),
            (1e-3, 0.9, 0.999, 1e-8, 0.0)
        );
    }

    #[test]
    #[should_panic(expected = "the second part of a split Adam covers parameters 40..100, not \
                               95..105")]
    fn a_part_asked_for_parameters_past_its_tensor_says_so() {
        let mut adam = Adam::<f64, Matrix<f64, 1, 100>>::new(0.01);
        adam.begin_step();
        let split = adam.split_at(0, 100, 40, &mut |_, second| {
            second.update(95, &mut [0.0; 10], &[1.0; 10]);
        });
        assert!(split, "Adam splits");
    }

    #[test]
    #[should_panic(expected = "the first part of a split Adam covers parameters 0..40, not \
                               35..45")]
    fn a_part_asked_for_the_other_parts_parameters_says_so() {
        let mut adam = Adam::<f64, Matrix<f64, 1, 100>>::new(0.01);
        adam.begin_step();
        let split = adam.split_at(0, 100, 40, &mut |first, _| {
            first.update(35, &mut [0.0; 10], &[1.0; 10]);
        });
        assert!(split, "Adam splits");
    }
}
