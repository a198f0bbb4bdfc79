use ferroflow::prelude::*;

network! {
    pub struct RedBlue<f32> {
        hidden: Perceptron<16, Sigmoid>,
        output: Perceptron<2, Softmax>,
    }
}

fn main() {}
