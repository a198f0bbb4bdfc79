use ferroflow::prelude::*;

const HIDDEN: usize = 8;
const WIDE: usize = 6;

network! {
    pub struct Residual<f32> {
        input: 4,
        stem: Perceptron<HIDDEN, Relu>,
        wide: Perceptron<WIDE, Relu>,
        skip: Sum(stem, wide),
        output: Perceptron<2, Softmax>,
    }
}

fn main() {}
