use ferroflow::prelude::*;

network! {
    pub struct Ranker<f32> {
        features: Input<6>,
        context: Input<3>,
        hidden: Perceptron<8, Relu>(features),
        output: Perceptron<2, Softmax>,
    }
}

fn main() {}
