//! Gradient descent, the tutorial's optimizer: `θ ← θ − η ∇θ`.

use super::{LearningRate, Optimizer, OptimizerFor};
use crate::Element;

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
        for (p, &g) in params.iter_mut().zip(gradients) {
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
}
