use ferroflow::prelude::*;

network! {
    pub struct Regularised<f32> {
        input: 4,
        hidden: Perceptron<8, Relu>,
        drop: Dropout<50>,
        output: Perceptron<2, Softmax>,
    }
}

fn main() {}
