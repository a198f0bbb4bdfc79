use ferroflow::prelude::*;

network! {
    #[loss(CrossEntropy)]
    pub struct Binary<f32> {
        input: 2,
        hidden: Perceptron<8, Tanh>,
        output: Perceptron<1, Sigmoid>,
    }
}

fn main() {}
