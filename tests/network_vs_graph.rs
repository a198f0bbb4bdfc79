//! A network built with `network!` and the same network built with the computational graph
//! compute the same outputs, losses and gradients: two independent implementations of one
//! model agree to 1e-12 in f64.

use ferroflow::graph::{
    Axis, Bias, Placeholder, Session, Variable, compute_gradients, log, matmul, multiply, negative,
    reduce_sum, reduce_sum_axis, sigmoid, softmax, tanh,
};
use ferroflow::prelude::*;

network! {
    /// Two hidden layers, so the backward pass crosses a hidden-to-hidden boundary.
    struct Mlp<f64> {
        input: 2,
        first: Perceptron<5, Sigmoid>,
        second: Perceptron<4, Tanh>,
        output: Perceptron<3, Softmax>,
    }
}

const B: usize = 6;

fn max_difference<const R: usize, const C: usize>(
    a: &Matrix<f64, R, C>,
    b: &Matrix<f64, R, C>,
) -> f64 {
    (a - b).abs().max()
}

#[test]
fn same_outputs_losses_and_gradients() {
    for seed in 0..25 {
        let mut rng = SeededRng::seed_from_u64(seed);
        let mut net = Mlp::random(&mut rng);
        net.first.bias = RowVector::from_fn(|_, _| ferroflow::init::uniform(&mut rng, -0.5, 0.5));
        net.second.bias = RowVector::from_fn(|_, _| ferroflow::init::uniform(&mut rng, -0.5, 0.5));
        net.output.bias = RowVector::from_fn(|_, _| ferroflow::init::uniform(&mut rng, -0.5, 0.5));
        let points: Matrix<f64, B, 2> =
            Matrix::from_fn(|_, _| ferroflow::init::uniform(&mut rng, -2.0, 2.0));
        let labels: Matrix<f64, B, 3> =
            Matrix::from_fn(|r, c| f64::from(u8::from((r + seed as usize) % 3 == c)));

        // The graph, with the network's weights.
        let x = Placeholder::<f64, B, 2, 0>::new();
        let c = Placeholder::<f64, B, 3, 1>::new();
        let w1 = Variable::new(net.first.weights);
        let b1 = Bias::new(net.first.bias);
        let w2 = Variable::new(net.second.weights);
        let b2 = Bias::new(net.second.bias);
        let w3 = Variable::new(net.output.weights);
        let b3 = Bias::new(net.output.bias);
        let h1 = sigmoid(matmul(x, &w1) + &b1);
        let h2 = tanh(matmul(h1, &w2) + &b2);
        let p = softmax(matmul(h2, &w3) + &b3);
        // The tutorial's J is a sum over the batch; the network's loss is its mean.
        let j = negative(reduce_sum(reduce_sum_axis(multiply(c, log(&p)), Axis::<1>)));
        let feed = (points, labels);

        let graph_output = Session.run(&p, &feed);
        assert!(max_difference(&graph_output, &net.forward(&points)) < 1e-12);

        let graph_loss = compute_gradients(&j, &feed) / B as f64;
        let (loss, gradients) = Network::gradients(&net, &points, &labels);
        assert!((graph_loss - loss).abs() < 1e-12, "seed {seed}: {graph_loss} vs {loss}");

        let scale = 1.0 / B as f64;
        let pairs = [
            max_difference(&(w1.gradient() * scale), &gradients.first.weights),
            max_difference(&(w2.gradient() * scale), &gradients.second.weights),
            max_difference(&(w3.gradient() * scale), &gradients.output.weights),
        ];
        let biases = [
            max_difference(&(b1.gradient() * scale), &gradients.first.bias),
            max_difference(&(b2.gradient() * scale), &gradients.second.bias),
            max_difference(&(b3.gradient() * scale), &gradients.output.bias),
        ];
        for (layer, difference) in pairs.iter().chain(&biases).enumerate() {
            assert!(*difference < 1e-12, "seed {seed}: tensor {layer} differs by {difference:e}");
        }
    }
}
