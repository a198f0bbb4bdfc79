use ferroflow::prelude::*;

network! {
    #[loss(HingeLoss)]
    pub struct Binary<f32> {
        input: 2,
        output: Perceptron<1, Sigmoid>,
    }
}

fn main() {}
