use ferroflow::prelude::*;

network! {
    pub struct RedBlue<f32> {
        input: 2,
        hidden: Perceptron<16, Softmax>,
        output: Perceptron<2, Softmax>,
    }
}

fn main() {}
