use ferroflow::prelude::*;

network! {
    pub struct Ranker<f32> {
        features: Input<6>,
        hidden: Perceptron<8, Relu>,
        context: Input<3>,
        joined: Concat(hidden, context),
        output: Perceptron<2, Softmax>,
    }
}

fn main() {}
