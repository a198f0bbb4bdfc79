use ferroflow::prelude::*;

network! {
    pub struct Deep<f32> {
        input: 2,
        hidden: Perceptron<16, Sigmoid>,
        hidden: Perceptron<8, Sigmoid>,
        output: Perceptron<2, Softmax>,
    }
}

fn main() {}
