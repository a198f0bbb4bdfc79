use ferroflow::prelude::*;

const O: usize = 2;

network! {
    pub struct RedBlue<f32> {
        input: 2,
        hidden: Perceptron<16, Sigmoid>,
        output: Perceptron<O, Softmax>,
    }
}

fn main() {}
