use ferroflow::prelude::*;

network! {
    pub struct RedBlue<f32> {
        input: 2,
        hidden: Perceptron<{ 2 - 4 }, Sigmoid>,
        output: Perceptron<2, Softmax>,
    }
}

fn main() {
    let mut net = RedBlue::zeros();
    let x: Matrix<f32, 4, 2> = Matrix::zeros();
    let _ = net.train_step(&x, &x, &mut GradientDescent::new(0.1));
}
