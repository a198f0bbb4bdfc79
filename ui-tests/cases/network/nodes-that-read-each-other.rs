use ferroflow::prelude::*;

network! {
    pub struct Loop<f32> {
        input: 4,
        a: Perceptron<8, Relu>(b),
        b: Perceptron<8, Relu>(a),
        output: Perceptron<2, Softmax>,
    }
}

fn main() {}
