use ferroflow::prelude::*;

network! {
    pub struct RedBlue<f32> {
        input: 2,
        output: Perceptron<2, Softmax>,
    }
}

fn main() {
    let net = RedBlue::zeros();
    let x: Matrix<f64, 1, 2> = Matrix::zeros();
    let _ = net.forward(&x);
}
