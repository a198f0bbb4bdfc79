use ferroflow::prelude::*;

network! {
    /// The tutorial's multi-layer perceptron.
    pub struct RedBlue<f32> {
        input: 2,
        hidden: Perceptron<16, Sigmoid>,
        output: Perceptron<2, Softmax>,
    }
}

fn main() {
    let mut rng = SeededRng::seed_from_u64(7);
    let data = ferroflow::clusters::xor::<f32, _>(&mut rng);
    let mut net = RedBlue::random(&mut rng);
    let mut sgd = GradientDescent::new(3.0);
    let first = net.train_step(&data.points, &data.labels, &mut sgd);
    for _ in 0..300 {
        net.train_step(&data.points, &data.labels, &mut sgd);
    }
    assert!(net.loss(&data.points, &data.labels) < first / 2.0);
    let p = net.predict(&[0.0, 1.0]);
    assert!((p[0] + p[1] - 1.0).abs() < 1e-6);
}
