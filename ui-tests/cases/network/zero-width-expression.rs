use ferroflow::prelude::*;

network! {
    pub struct RedBlue<f32> {
        input: 2,
        hidden: Perceptron<{ 4 - 4 }, Sigmoid>,
        output: Perceptron<2, Softmax>,
    }
}

fn main() {
    let _ = RedBlue::zeros();
}
