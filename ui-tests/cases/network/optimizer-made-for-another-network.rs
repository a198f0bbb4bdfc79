use ferroflow::prelude::*;

network! {
    pub struct RedBlue<f32> {
        input: 2,
        hidden: Perceptron<16, Sigmoid>,
        output: Perceptron<2, Softmax>,
    }
}

network! {
    pub struct Wider<f32> {
        input: 2,
        hidden: Perceptron<32, Sigmoid>,
        output: Perceptron<2, Softmax>,
    }
}

fn main() {
    let (mut narrow, mut wide) = (RedBlue::zeros(), Wider::zeros());
    let x: Matrix<f32, 4, 2> = Matrix::zeros();
    // Adam's moments take the shape of the first network it trains.
    let mut adam = Adam::new(0.01);
    narrow.train_step(&x, &x, &mut adam);
    wide.train_step(&x, &x, &mut adam);
}
