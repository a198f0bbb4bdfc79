use ferroflow::prelude::*;

network! {
    pub struct Mlp<f32, const H: usize, const W: usize> {
        input: 4,
        hidden: Perceptron<H, Relu>,
        output: Perceptron<3, Softmax>,
    }
}

fn main() {}
