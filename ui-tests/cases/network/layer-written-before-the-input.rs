use ferroflow::prelude::*;

network! {
    pub struct Backwards<f32> {
        hidden: Perceptron<8, Relu>,
        input: 4,
        output: Perceptron<2, Softmax>,
    }
}

fn main() {
    // One error: the network is repaired with its input first, and works where it is used.
    let net = Backwards::zeros();
    let _ = net.forward(&Matrix::<f32, 1, 4>::zeros());
}
