use ferroflow::prelude::*;

network! {
    pub struct Ranker<f32, const F: usize> {
        features: Input<F>,
        context: Input<3>,
        joined: Concat(features, context),
        output: Perceptron<2, Softmax>,
    }
}

fn main() {}
