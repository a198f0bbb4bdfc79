use ferroflow::prelude::*;

network! {
    pub struct RedBlue<f32> {
        input: 2,
        hidden: Perceptron<-3, Sigmoid>,
        output: Perceptron<2, Softmax>,
    }
}

fn main() {}
