//! Optimizers on whole networks: every parameter gets its own state through the offsets a
//! network reports, and each optimizer trains the tutorial's XOR-like clusters.

use ferroflow::clusters;
use ferroflow::optim::schedule::{Cosine, Schedule};
use ferroflow::prelude::*;

network! {
    /// The tutorial's multi-layer perceptron.
    struct Xor<f64> {
        input: 2,
        hidden: Perceptron<8, Sigmoid>,
        output: Perceptron<2, Softmax>,
    }
}

fn flat(net: &Xor) -> Vec<f64> {
    let mut out = Vec::new();
    net.for_each_param(&mut |_, v| out.extend_from_slice(v));
    out
}

#[test]
fn adam_on_a_network_is_adam_on_its_flat_parameter_vector() {
    let mut rng = SeededRng::seed_from_u64(1);
    let data: clusters::Clusters<f64, 100> = clusters::xor(&mut rng);
    let mut net = Xor::random(&mut rng);
    let mut adam = Adam::new(0.01);
    // The reference: one Adam over the concatenated parameters, textbook form.
    let mut theta = flat(&net);
    let (mut m, mut v) = (vec![0.0; theta.len()], vec![0.0; theta.len()]);
    for t in 1..=20 {
        let (_, gradients) = net.gradients(&data.points, &data.labels);
        let mut g = Vec::new();
        let mut probe = net.clone();
        // The gradients in parameter order: what apply_gradients hands out, recorded by
        // a gradient-descent step of rate −1 from zero parameters.
        probe.for_each_param_mut(&mut |_, values| values.fill(0.0));
        probe.apply_gradients(&gradients, &mut GradientDescent::new(-1.0));
        probe.for_each_param(&mut |_, values| g.extend_from_slice(values));

        net.apply_gradients(&gradients, &mut adam);
        for i in 0..theta.len() {
            m[i] = 0.9 * m[i] + 0.1 * g[i];
            v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
            let m_hat = m[i] / (1.0 - 0.9f64.powi(t));
            let v_hat = v[i] / (1.0 - 0.999f64.powi(t));
            theta[i] -= 0.01 * m_hat / (v_hat.sqrt() + 1e-8);
        }
        let got = flat(&net);
        for i in 0..theta.len() {
            assert!((got[i] - theta[i]).abs() < 1e-12, "step {t}, parameter {i}");
        }
    }
}

fn accuracy(net: &Xor, data: &clusters::Clusters<f64, 100>) -> usize {
    let predicted = net.classify_batch(&data.points);
    (0..100).filter(|&i| predicted[i] == data.class(i)).count()
}

#[test]
fn every_optimizer_learns_the_xor_clusters() {
    let data: clusters::Clusters<f64, 100> = clusters::xor(&mut SeededRng::seed_from_u64(2));
    let start = Xor::random(&mut SeededRng::seed_from_u64(3));
    let train = |optimizer: &mut dyn FnMut(&mut Xor) -> f64| {
        let mut net = start.clone();
        let mut loss = 0.0;
        for _ in 0..1500 {
            loss = optimizer(&mut net);
        }
        (loss, accuracy(&net, &data))
    };
    let mut sgd = GradientDescent::new(3.0);
    let mut momentum = Momentum::new(0.3, 0.9);
    let mut nesterov = Momentum::new(0.3, 0.9).with_nesterov();
    let mut adam = Adam::new(0.02);
    let results = [
        ("gradient descent", train(&mut |n| n.train_step(&data.points, &data.labels, &mut sgd))),
        ("momentum", train(&mut |n| n.train_step(&data.points, &data.labels, &mut momentum))),
        ("nesterov", train(&mut |n| n.train_step(&data.points, &data.labels, &mut nesterov))),
        ("adam", train(&mut |n| n.train_step(&data.points, &data.labels, &mut adam))),
    ];
    for (name, (loss, correct)) in results {
        assert_eq!(correct, 100, "{name}: {correct}% correct, loss {loss}");
        assert!(loss < 0.05, "{name}: loss {loss}");
    }
}

#[test]
fn a_schedule_steers_an_optimizer_inside_a_training_loop() {
    let data: clusters::Clusters<f64, 100> = clusters::xor(&mut SeededRng::seed_from_u64(4));
    let mut net = Xor::random(&mut SeededRng::seed_from_u64(5));
    let mut adam = Adam::new(0.05);
    let schedule = Cosine { epochs: 10, min: 0.001 };
    let mut rates = Vec::new();
    for epoch in 0..12 {
        schedule.apply(&mut adam, 0.05, epoch);
        rates.push(adam.learning_rate());
        for _ in 0..100 {
            net.train_step(&data.points, &data.labels, &mut adam);
        }
    }
    assert_eq!(rates[0], 0.05);
    assert!(rates.windows(2).all(|w| w[1] <= w[0]), "{rates:?}");
    assert_eq!(rates[10], 0.001);
    assert_eq!(accuracy(&net, &data), 100);
    assert_eq!(adam.steps(), 1200);
}
