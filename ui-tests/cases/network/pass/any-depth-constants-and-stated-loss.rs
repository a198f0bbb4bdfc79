use ferroflow::prelude::*;

const HIDDEN: usize = 8;

network! {
    /// Four layers, constant widths, a stated input width, f64, a stated loss.
    #[loss(MeanSquaredError)]
    pub(crate) struct Regressor<f64> {
        input: 3,
        /// The first hidden layer.
        a: Perceptron<HIDDEN, Relu>,
        b: Perceptron<HIDDEN -> { 2 * HIDDEN }, Tanh>,
        c: Perceptron<4, Sigmoid>,
        out: Perceptron<1, Identity>,
    }
}

network! {
    struct Tiny<f32> {
        input: 1,
        out: Perceptron<1, Sigmoid>,
    }
}

fn main() {
    let net = Regressor::random(&mut SeededRng::seed_from_u64(1));
    let y = net.forward(&Matrix::<f64, 5, 3>::zeros());
    assert_eq!(y.nrows(), 5);
    assert_eq!(Regressor::PARAM_COUNT, 3 * 8 + 8 + 8 * 16 + 16 + 16 * 4 + 4 + 4 + 1);
    const T: Tiny = Tiny::zeros();
    assert_eq!(T.predict(&[1.0]), [0.5]);
}
