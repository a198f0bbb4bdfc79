use ferroflow::prelude::*;

network! {
    pub struct Residual<f32> {
        input: 4,
        stem: Perceptron<8, Relu>,
        skip: Sum(stem),
        output: Perceptron<2, Softmax>,
    }
}

fn main() {}
