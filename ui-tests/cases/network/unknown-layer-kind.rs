use ferroflow::prelude::*;

network! {
    pub struct Vision<f32> {
        input: 64,
        features: Conv2d<16, Relu>,
        output: Perceptron<10, Softmax>,
    }
}

fn main() {}
