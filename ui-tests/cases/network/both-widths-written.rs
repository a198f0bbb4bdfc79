use ferroflow::prelude::*;

// The dfdx habit, `Linear<2, 16>`: ferroflow writes the input width with `->`, if at all.
network! {
    pub struct RedBlue<f32> {
        input: 2,
        hidden: Perceptron<2, 16, Sigmoid>,
        output: Perceptron<2, Softmax>,
    }
}

fn main() {}
