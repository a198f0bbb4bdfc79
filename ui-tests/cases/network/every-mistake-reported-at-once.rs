use ferroflow::prelude::*;

network! {
    pub struct Careless<f32> {
        input: 0,
        hidden: Perceptron<16, Sigmod>,
        hidden: Perceptron<8, Softmax>,
        output: Perceptron<2.0, Softmax>,
    }
}

fn main() {
    // No follow-on errors: the network still exists with its mistakes repaired.
    let _ = Careless::PARAM_COUNT;
}
