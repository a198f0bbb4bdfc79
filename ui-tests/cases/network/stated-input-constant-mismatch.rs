use ferroflow::prelude::*;

const HIDDEN: usize = 16;
const NARROW: usize = 8;

network! {
    pub struct RedBlue<f32> {
        input: 2,
        hidden: Perceptron<HIDDEN, Relu>,
        output: Perceptron<NARROW -> 2, Softmax>,
    }
}

fn main() {}
