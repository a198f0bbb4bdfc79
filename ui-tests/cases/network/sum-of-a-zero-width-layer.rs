use ferroflow::prelude::*;

network! {
    pub struct Residual<f32> {
        input: 4,
        stem: Perceptron<0, Relu>,
        block: Perceptron<8, Tanh>(input),
        skip: Sum(stem, block),
        output: Perceptron<2, Softmax>,
    }
}

fn main() {}
