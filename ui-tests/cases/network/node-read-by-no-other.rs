use ferroflow::prelude::*;

network! {
    pub struct Dangling<f32> {
        input: 4,
        stem: Perceptron<8, Relu>,
        probe: Perceptron<3, Tanh>(stem),
        output: Perceptron<2, Softmax>(stem),
    }
}

fn main() {}
