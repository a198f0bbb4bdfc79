use ferroflow::prelude::*;

network! {
    pub struct Mlp<f32, const H: usize> {
        input: 4,
        hidden: Perceptron<H, Relu>,
        output: Perceptron<3, Softmax>,
    }
}

fn main() {
    // Around the constructors: the check is made where the network first computes.
    let net = Mlp::<0> { hidden: Box::new(Perceptron::zeros()), output: Box::new(Perceptron::zeros()) };
    let _ = net.predict(&[0.0; 4]);
}
