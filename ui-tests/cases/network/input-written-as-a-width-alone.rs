use ferroflow::prelude::*;

network! {
    pub struct Ranker<f32> {
        features: 6,
        context: Input<3>,
        joined: Concat(features, context),
        output: Perceptron<2, Softmax>,
    }
}

fn main() {}
