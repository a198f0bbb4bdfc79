use ferroflow::prelude::*;

network! {
    pub struct RedBlue<i32> {
        input: 2,
        output: Perceptron<2, Softmax>,
    }
}

fn main() {}
