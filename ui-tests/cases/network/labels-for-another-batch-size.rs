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
    let x: Matrix<f32, 4, 2> = Matrix::zeros();
    let labels: Matrix<f32, 5, 2> = Matrix::zeros();
    let _ = net.loss(&x, &labels);
}
