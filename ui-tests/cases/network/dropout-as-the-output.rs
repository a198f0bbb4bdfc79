use ferroflow::prelude::*;

network! {
    pub struct Regularised<f32> {
        input: 4,
        hidden: Perceptron<8, Relu>,
        output: Dropout<0.5>,
    }
}

fn main() {}
