use ferroflow::prelude::*;

network! {
    pub struct Mlp<f32, const B: usize> {
        input: 4,
        hidden: Perceptron<B, Relu>,
        output: Perceptron<3, Softmax>,
    }
}

fn main() {}
