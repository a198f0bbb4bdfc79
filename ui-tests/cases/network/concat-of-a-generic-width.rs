use ferroflow::prelude::*;

network! {
    pub struct Joined<f32, const H: usize> {
        input: 4,
        hidden: Perceptron<H, Relu>,
        joined: Concat(hidden, input),
        output: Perceptron<2, Softmax>,
    }
}

fn main() {}
