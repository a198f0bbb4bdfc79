use ferroflow::prelude::*;

network! {
    pub struct Misordered<f32> {
        input: 4,
        a: Perceptron<8, Relu>(b),
        b: Perceptron<8, Relu>(input),
        output: Perceptron<2, Softmax>(a),
    }
}

fn main() {}
