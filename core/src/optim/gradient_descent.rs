//! Gradient descent, the tutorial's optimizer: `θ ← θ − η ∇θ`.

use super::{LearningRate, Optimizer, OptimizerFor};
use crate::Element;

/// How many parameters [`GradientDescent::update`] takes at a time: one AVX2 vector of
/// `f32` where the processor has vector registers, one where its floating-point unit is
/// scalar (a microcontroller), where the plain loop is best.
const CHUNK: usize =
    if cfg!(any(target_feature = "sse2", target_feature = "neon", target_feature = "simd128")) {
        8
    } else {
        1
    };

/// The tutorial's gradient descent: `θ ← θ − η ∇θ`.
///
/// ```
/// use ferroflow_core::optim::{GradientDescent, Optimizer};
/// let mut sgd = GradientDescent::new(0.1);
/// let mut w = [1.0, 2.0];
/// sgd.begin_step();
/// sgd.update(0, &mut w, &[10.0, -10.0]);
/// assert_eq!(w, [0.0, 3.0]);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GradientDescent<T: Element> {
    /// The step size `η`.
    pub learning_rate: T,
}

impl<T: Element> GradientDescent<T> {
    /// Gradient descent with the given learning rate.
    pub const fn new(learning_rate: T) -> Self {
        Self { learning_rate }
    }
}

impl<T: Element> Optimizer<T> for GradientDescent<T> {
    #[inline]
    fn update(&mut self, _offset: usize, params: &mut [T], gradients: &[T]) {
        let rate = self.learning_rate;
        // A chunk at a time, its gradients copied out before the parameters change. A
        // layer's fused update (`kernels::update`) calls this once per register tile of
        // sums (16 in AVX2) with the loop inlined into the kernel's code; LLVM unrolled it
        // over those few values and kept it scalar, unable to tell the parameters it
        // stores from the sums it loads: 14% of W3's step on an AVX2 processor in a build
        // with the default release profile (BENCHMARKS.md). From a
        // local copy, the loads come first and the chunk is a few vector instructions.
        // The same arithmetic, value by value: the same bits.
        let (param_chunks, param_rest) = params.as_chunks_mut::<CHUNK>();
        let (gradient_chunks, gradient_rest) = gradients.as_chunks::<CHUNK>();
        for (params, gradients) in param_chunks.iter_mut().zip(gradient_chunks) {
            let gradients = *gradients;
            for (p, g) in params.iter_mut().zip(gradients) {
                *p -= rate * g;
            }
        }
        for (p, &g) in param_rest.iter_mut().zip(gradient_rest) {
            *p -= rate * g;
        }
    }

    fn split_at(
        &mut self,
        _: usize,
        _: usize,
        _: usize,
        both: &mut dyn FnMut(&mut super::Part<'_, T>, &mut super::Part<'_, T>),
    ) -> bool {
        // No state: each part is the same rule.
        let (mut first, mut second) = (*self, *self);
        both(&mut first, &mut second);
        true
    }
}

/// No state: gradient descent fits every model.
#[diagnostic::do_not_recommend]
impl<T: Element, G> OptimizerFor<T, G> for GradientDescent<T> {}

impl<T: Element> LearningRate<T> for GradientDescent<T> {
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

    #[test]
    fn converges_on_a_quadratic_at_the_analytic_rate() {
        // f(θ) = ½ a (θ − c)²: each step multiplies the distance to c by (1 − η a).
        let (a, c, rate) = (2.0f64, 3.0, 0.1);
        let mut sgd = GradientDescent::new(rate);
        let mut theta = [0.0f64];
        for step in 1..=20 {
            let gradient = [a * (theta[0] - c)];
            sgd.begin_step();
            sgd.update(0, &mut theta, &gradient);
            let analytic = c + (1.0 - rate * a).powi(step) * (0.0 - c);
            assert!((theta[0] - analytic).abs() < 1e-12, "step {step}: {} vs {analytic}", theta[0]);
        }
    }

    #[test]
    fn every_parameter_of_any_length_takes_its_own_step() {
        // Whole chunks, the values left over, and both: each value moves by exactly
        // `rate · gradient` of its own, to the bit.
        let mut rng = crate::testing::rng(3);
        let rate = 0.37f32;
        for len in 0..=41 {
            let mut draw = |n: usize| -> Vec<f32> {
                (0..n).map(|_| rand::RngExt::random_range(&mut rng, -2.0f32..2.0)).collect()
            };
            let (start, gradients) = (draw(len), draw(len));
            let mut params = start.clone();
            GradientDescent::new(rate).update(0, &mut params, &gradients);
            for (i, ((&p, &p0), &g)) in params.iter().zip(&start).zip(&gradients).enumerate() {
                assert_eq!(p.to_bits(), (p0 - rate * g).to_bits(), "value {i} of {len}");
            }
        }
    }
}
