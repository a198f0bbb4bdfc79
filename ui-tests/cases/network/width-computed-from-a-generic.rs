use ferroflow::prelude::*;

network! {
    pub struct Mlp<f32, const H: usize> {
        input: 4,
        hidden: Perceptron<H, Relu>,
        wider: Perceptron<{ 2 * H }, Relu>,
        output: Perceptron<3, Softmax>,
    }
}

fn main() {}
