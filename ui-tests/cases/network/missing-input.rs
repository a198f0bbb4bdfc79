use ferroflow::prelude::*;

network! {
    pub struct RedBlue<f32> {
        hidden: Perceptron<16, Sigmoid>,
        output: Perceptron<2, Softmax>,
    }
}

fn main() {
    // No follow-on error where the network is used: the input width is unknown.
    let mut net = RedBlue::zeros();
    let x: Matrix<f32, 4, 2> = Matrix::zeros();
    let _ = net.forward(&x);
    let _ = net.train_step(&x, &x, &mut Adam::new(0.01));
}
