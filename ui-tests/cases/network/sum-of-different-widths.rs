use ferroflow::prelude::*;

network! {
    pub struct Residual<f32> {
        input: 4,
        stem: Perceptron<8, Relu>,
        wide: Perceptron<6, Relu>,
        skip: Sum(stem, wide),
        output: Perceptron<2, Softmax>,
    }
}

fn main() {
    // No follow-on error where the network is used.
    let net = Residual::zeros();
    let _ = net.forward(&Matrix::<f32, 1, 4>::zeros());
}
