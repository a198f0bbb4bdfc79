use ferroflow::prelude::*;

network! {
    pub struct Mlp<f32, const H: usize = 16> {
        input: 4,
        hidden: Perceptron<H, Relu>,
        output: Perceptron<3, Softmax>,
    }
}

fn main() {
    let _ = Mlp::<16>::zeros();
}
