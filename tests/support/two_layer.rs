//! A hand-written two-layer model implementing `Parameters`, named as a `network!` network
//! with layers `hidden` and `output` would be: what serialisation sees of any network.

use ferroflow::optim::{Optimizer, ParamName, Parameters};
use ferroflow::{Perceptron, PerceptronGradients, Sigmoid, Softmax};

/// 4 → 3 (sigmoid) → 2 (softmax), in f32.
#[derive(Clone, Debug, PartialEq)]
pub struct TwoLayer {
    pub hidden: Perceptron<f32, 4, 3, Sigmoid>,
    pub output: Perceptron<f32, 3, 2, Softmax>,
}

impl TwoLayer {
    /// The positional constructor `network!` generates too.
    pub const fn new(
        hidden: Perceptron<f32, 4, 3, Sigmoid>,
        output: Perceptron<f32, 3, 2, Softmax>,
    ) -> Self {
        Self { hidden, output }
    }
}

impl Parameters<f32> for TwoLayer {
    type Gradients = (PerceptronGradients<f32, 4, 3>, PerceptronGradients<f32, 3, 2>);

    fn for_each_param(&self, f: &mut impl FnMut(ParamName<'_>, &[f32])) {
        self.hidden.for_each_param(&mut |name, v| f(name.in_layer("hidden"), v));
        self.output.for_each_param(&mut |name, v| f(name.in_layer("output"), v));
    }

    fn for_each_param_mut(&mut self, f: &mut impl FnMut(ParamName<'_>, &mut [f32])) {
        self.hidden.for_each_param_mut(&mut |name, v| f(name.in_layer("hidden"), v));
        self.output.for_each_param_mut(&mut |name, v| f(name.in_layer("output"), v));
    }

    fn apply_gradients_at<O: Optimizer<f32>>(
        &mut self,
        gradients: &Self::Gradients,
        optimizer: &mut O,
        offset: usize,
    ) {
        self.hidden.apply_gradients_at(&gradients.0, optimizer, offset);
        self.output.apply_gradients_at(&gradients.1, optimizer, offset + 4 * 3 + 3);
    }
}

/// A model with seeded random weights.
pub fn random(seed: u64) -> TwoLayer {
    use ferroflow::{SeedableRng, SeededRng};
    let mut rng = SeededRng::seed_from_u64(seed);
    let mut model = TwoLayer::new(Perceptron::random(&mut rng), Perceptron::random(&mut rng));
    // Biases too, so that every tensor carries information.
    model.for_each_param_mut(&mut |_, values| {
        for v in values {
            *v += ferroflow::init::uniform(&mut rng, -0.5, 0.5) as f32;
        }
    });
    model
}
