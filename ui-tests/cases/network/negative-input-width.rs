use ferroflow::prelude::*;

network! {
    pub struct RedBlue<f32> {
        input: -2,
        hidden: Perceptron<16, Sigmoid>,
        output: Perceptron<2, Softmax>,
    }
}

fn main() {
    // No follow-on error where the network is used: the input width is unknown.
    let net = RedBlue::zeros();
    let _ = net.forward(&from_rows([[0.5f32, 1.0]]));
}
