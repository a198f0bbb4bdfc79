use ferroflow::prelude::*;

network! {
    pub struct Late<f32> {
        input: 4,
        stem: Perceptron<8, Relu>(input),
        joined: Concat(stem, context),
        output: Perceptron<2, Softmax>,
        context: Input<3>,
    }
}

fn main() {}
