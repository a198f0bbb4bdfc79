use ferroflow::prelude::*;
use ferroflow::quant::Int8;

network! {
    pub struct Gate<f32> {
        input: 2,
        hidden: Perceptron<8, Relu>,
        output: Perceptron<2, Softmax>,
    }
}

fn main() {
    let net = Gate::zeros();
    // Samples of 3 features for a network that reads 2.
    let calibration = [[0.0f32; 3]; 4];
    let _ = Int8::quantise(&net, &calibration);
}
