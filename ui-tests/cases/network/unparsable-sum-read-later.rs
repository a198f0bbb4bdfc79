use ferroflow::prelude::*;

network! {
    pub struct Residual<f32> {
        input: 4,
        stem: Perceptron<8, Relu>,
        block: Perceptron<8, Tanh>,
        skip: Sum(stem block),
        output: Perceptron<2, Softmax>(skip),
    }
}

fn main() {}
