use ferroflow::prelude::*;

network! {
    pub struct Joined<f32> {
        input: 4,
        stem: Perceptron<8, Relu>,
        side: Perceptron<6, Relu>(input),
        joined: Concat(stem, side),
        output: Perceptron<6 -> 2, Softmax>(joined),
    }
}

fn main() {}
