use ferroflow::prelude::*;

// The mistake dfdx users make as `(Linear<2, 16>, ReLU, Linear<8, 2>)`.
network! {
    pub struct RedBlue<f32> {
        input: 2,
        hidden: Perceptron<16, Relu>,
        output: Perceptron<8 -> 2, Softmax>,
    }
}

fn main() {}
