use ferroflow::prelude::*;

network! {
    #[loss(CrossEntropy)]
    pub struct Residual<f32> {
        input: 4,
        stem: Perceptron<4, Relu>,
        block: Perceptron<4, Tanh>,
        output: Sum(stem, block),
    }
}

fn main() {}
