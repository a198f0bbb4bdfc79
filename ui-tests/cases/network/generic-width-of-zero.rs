use ferroflow::prelude::*;

network! {
    pub struct Mlp<f32, const H: usize> {
        input: 4,
        hidden: Perceptron<H, Relu>,
        output: Perceptron<3, Softmax>,
    }
}

fn main() {
    // Known only where the generic is given a value: reported by `cargo build`.
    let _ = Mlp::<0>::zeros();
}
