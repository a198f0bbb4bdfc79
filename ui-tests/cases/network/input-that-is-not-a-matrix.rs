use ferroflow::prelude::*;

network! {
    pub struct RedBlue<f32> {
        input: 2,
        hidden: Perceptron<16, Sigmoid>,
        output: Perceptron<2, Softmax>,
    }
}

fn main() {
    let net = RedBlue::zeros();
    // One sample as an array: `predict` takes that; `forward` takes a batch.
    let _ = net.forward(&[0.5, 1.0]);
}
