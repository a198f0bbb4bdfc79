//! A `network!` graph (skip connections, several inputs, concatenation, a node read three
//! times) and the same graph written with the tutorial's API agree on the outputs, the loss
//! and every gradient, to 1e-12 in f64: two independent implementations of one computation
//! (generated straight-line code against the typed graph's memoised passes), so an error in
//! either one's backward pass would show. `network_vs_graph.rs` does the same for a chain.
//!
//! The tutorial's API has no concatenation and no several inputs: both are products by
//! constant selection matrices, `[a b] = a·[I 0] + b·[0 I]` and `x_f = x·[I 0]ᵀ`.

use ferroflow::Rng;
use ferroflow::graph::*;
use ferroflow::prelude::*;

network! {
    /// A residual block on one input, joined with a second input.
    struct Joint<f64> {
        features: Input<3>,
        context: Input<2>,
        stem: Perceptron<4, Tanh>(features),
        block: Perceptron<4, Sigmoid>,
        skip: Sum(stem, block),
        joined: Concat(skip, context),
        out: Perceptron<3, Softmax>,
    }
}

network! {
    /// One node read three times, twice by the same sum.
    struct Repeated<f64> {
        input: 3,
        h: Perceptron<4, Tanh>,
        a: Perceptron<4, Sigmoid>(h),
        twice: Sum(h, a, h),
        out: Perceptron<2, Softmax>,
    }
}

const B: usize = 6;

/// `|a − b| ≤ 1e-12 · max(1, |a|, |b|)` for every element.
fn assert_close(what: &str, a: &[f64], b: &[f64]) {
    assert_eq!(a.len(), b.len(), "{what}");
    for (i, (a, b)) in a.iter().zip(b).enumerate() {
        let scale = a.abs().max(b.abs()).max(1.0);
        assert!((a - b).abs() <= 1e-12 * scale, "{what}[{i}]: network {a}, graph {b}");
    }
}

/// The `R × C` matrix that keeps columns `from..from + R` of a wider one (`x · select`), or
/// places a narrower one's columns there (`a · selectᵀ`).
fn selection<const R: usize, const C: usize>(from: usize) -> Matrix<f64, R, C> {
    Matrix::from_fn(|i, j| if j == i + from { 1.0 } else { 0.0 })
}

fn inputs_and_labels<const I: usize, const O: usize>(
    rng: &mut SeededRng,
) -> (Matrix<f64, B, I>, Matrix<f64, B, O>) {
    let x = Matrix::from_fn(|_, _| ferroflow::init::uniform(rng, -2.0, 2.0));
    let mut labels = Matrix::zeros();
    for r in 0..B {
        labels[(r, (rng.next_u64() % O as u64) as usize)] = 1.0;
    }
    (x, labels)
}

/// Random biases too, so that every bias gradient carries information.
fn with_random_biases<N: Parameters<f64>>(mut net: N, rng: &mut SeededRng) -> N {
    net.for_each_param_mut(&mut |name, values| {
        if name.tensor == "bias" {
            values.iter_mut().for_each(|v| *v = ferroflow::init::uniform(rng, -0.5, 0.5));
        }
    });
    net
}

/// The tutorial's variables for a layer of `net`.
fn variables<const I: usize, const O: usize, A: Activation>(
    layer: &Perceptron<f64, I, O, A>,
) -> (Variable<f64, I, O>, Bias<f64, O>) {
    (Variable::new(layer.weights), Bias::new(layer.bias))
}

fn flat<const R: usize, const C: usize>(m: &Matrix<f64, R, C>) -> &[f64] {
    m.as_slice()
}

#[test]
fn a_residual_block_beside_a_second_input_agrees_with_the_tutorial_graph() {
    for seed in 0..20 {
        let mut rng = SeededRng::seed_from_u64(seed);
        let net = with_random_biases(Joint::random(&mut rng), &mut rng);
        let (x, labels) = inputs_and_labels::<5, 3>(&mut rng);

        let xp = Placeholder::<f64, B, 5, 0>::new();
        let c = Placeholder::<f64, B, 3, 1>::new();
        let (w_stem, b_stem) = variables(&net.stem);
        let (w_block, b_block) = variables(&net.block);
        let (w_out, b_out) = variables(&net.out);
        let features = matmul(xp, Constant::new(selection::<3, 5>(0).transpose()));
        let context = matmul(xp, Constant::new(selection::<2, 5>(3).transpose()));
        let stem = tanh(matmul(features, &w_stem) + &b_stem);
        let block = sigmoid(matmul(&stem, &w_block) + &b_block);
        let skip = &stem + block;
        let joined = matmul(skip, Constant::new(selection::<4, 6>(0)))
            + matmul(context, Constant::new(selection::<2, 6>(4)));
        let out = softmax(matmul(joined, &w_out) + &b_out);
        let scale = Constant::new(Matrix::<f64, 1, 1>::from_element(-1.0 / B as f64));
        let loss = multiply(scale, reduce_sum(multiply(c, log(&out))));

        let feed = (x, labels);
        assert_close("outputs", flat(&net.forward(&x)), flat(&Session.run(&out, &feed)));
        let (network_loss, gradients) = Network::gradients(&net, &x, &labels);
        let graph_loss = compute_gradients(&loss, &feed);
        assert_close("loss", &[network_loss], &[graph_loss]);
        assert_close("stem weights", flat(&gradients.stem.weights), flat(&w_stem.gradient()));
        assert_close("stem bias", flat(&gradients.stem.bias), flat(&b_stem.gradient()));
        assert_close("block weights", flat(&gradients.block.weights), flat(&w_block.gradient()));
        assert_close("block bias", flat(&gradients.block.bias), flat(&b_block.gradient()));
        assert_close("out weights", flat(&gradients.out.weights), flat(&w_out.gradient()));
        assert_close("out bias", flat(&gradients.out.bias), flat(&b_out.gradient()));
    }
}

#[test]
fn a_node_read_three_times_agrees_with_the_tutorial_graph() {
    for seed in 0..20 {
        let mut rng = SeededRng::seed_from_u64(seed);
        let net = with_random_biases(Repeated::random(&mut rng), &mut rng);
        let (x, labels) = inputs_and_labels::<3, 2>(&mut rng);

        let xp = Placeholder::<f64, B, 3, 0>::new();
        let c = Placeholder::<f64, B, 2, 1>::new();
        let (w_h, b_h) = variables(&net.h);
        let (w_a, b_a) = variables(&net.a);
        let (w_out, b_out) = variables(&net.out);
        let h = tanh(matmul(xp, &w_h) + &b_h);
        let a = sigmoid(matmul(&h, &w_a) + &b_a);
        let twice = &h + a + &h;
        let out = softmax(matmul(twice, &w_out) + &b_out);
        let scale = Constant::new(Matrix::<f64, 1, 1>::from_element(-1.0 / B as f64));
        let loss = multiply(scale, reduce_sum(multiply(c, log(&out))));

        let feed = (x, labels);
        assert_close("outputs", flat(&net.forward(&x)), flat(&Session.run(&out, &feed)));
        let (network_loss, gradients) = Network::gradients(&net, &x, &labels);
        assert_close("loss", &[network_loss], &[compute_gradients(&loss, &feed)]);
        assert_close("h weights", flat(&gradients.h.weights), flat(&w_h.gradient()));
        assert_close("h bias", flat(&gradients.h.bias), flat(&b_h.gradient()));
        assert_close("a weights", flat(&gradients.a.weights), flat(&w_a.gradient()));
        assert_close("a bias", flat(&gradients.a.bias), flat(&b_a.gradient()));
        assert_close("out weights", flat(&gradients.out.weights), flat(&w_out.gradient()));
        assert_close("out bias", flat(&gradients.out.bias), flat(&b_out.gradient()));
    }
}
