use ferroflow::prelude::*;

const RATE: f32 = 0.5;

network! {
    pub struct Dropped<f32> {
        input: 4,
        stem: Perceptron<8, Relu>,
        drop: Dropout<RATE>,
        block: Perceptron<8, Tanh>(drop),
        skip: Sum(drop, block),
        output: Perceptron<2, Softmax>,
    }
}

fn main() {}
