use ferroflow::prelude::*;
use ferroflow::quant::Int8;

network! {
    pub struct Digits<f32> {
        input: 64,
        hidden: Perceptron<32, Relu>,
        output: Perceptron<10, Softmax>,
    }
}

fn main() {
    let net = Digits::zeros();
    let int8 = Int8::quantise(&net, &[[0.0; 64]]).unwrap();
    let pixels = [0i8; 63];
    let _ = int8.classify_int8(&pixels);
}
