use ferroflow::prelude::*;

const HIDDEN: usize = 0;

network! {
    pub struct RedBlue<f32> {
        input: 2,
        hidden: Perceptron<HIDDEN, Sigmoid>,
        output: Perceptron<2, Softmax>,
    }
}

fn main() {
    let _ = RedBlue::zeros();
}
