use ferroflow::prelude::*;

const HIDDEN: usize = 8;

network! {
    pub struct Joined<f32> {
        features: Input<4>,
        context: Input<3>,
        stem: Perceptron<HIDDEN, Relu>(features),
        joined: Concat(stem, context),
        output: Perceptron<{ HIDDEN } -> 2, Softmax>(joined),
    }
}

fn main() {}
