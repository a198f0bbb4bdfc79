use ferroflow::prelude::*;

const B: usize = 2;

network! {
    pub struct RedBlue<f32> {
        input: 2,
        hidden: Perceptron<16, Sigmoid>,
        output: Perceptron<B, Softmax>,
    }
}

fn main() {}
