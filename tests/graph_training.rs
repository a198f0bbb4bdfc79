//! Minimisation through the typed graph: what one step does (every variable once, at a
//! stable offset, from gradients of the feed it is given), that any optimizer plugs in,
//! and that the tutorial's trainings converge.

use ferroflow::clusters::{self, Clusters};
use ferroflow::graph::*;
use ferroflow::init::standard_normal;
use ferroflow::matrix::{from_rows, row};
use ferroflow::{Adam, GradientDescent, Matrix, Momentum, Optimizer, OptimizerFor, RowVector};
use ferroflow::{SeedableRng, SeededRng};

/// An optimizer that changes nothing and records what it is handed.
#[derive(Default)]
struct Recorder {
    steps: usize,
    updates: Vec<(usize, Vec<f64>)>,
}

impl Optimizer<f64> for Recorder {
    fn begin_step(&mut self) {
        self.steps += 1;
    }

    fn update(&mut self, offset: usize, _params: &mut [f64], gradients: &[f64]) {
        self.updates.push((offset, gradients.to_vec()));
    }
}

/// It keeps no state, so it fits every model.
impl<G> OptimizerFor<f64, G> for Recorder {}

#[test]
fn a_step_updates_each_variable_once_at_a_stable_offset() {
    // w feeds h, and h has three consumers, so the graph visits w three times; b twice.
    let x = Placeholder::<f64, 3, 2, 0>::new();
    let w = Variable::new(from_rows([[0.5, -1.0], [2.0, 0.25]]));
    let b = Bias::new(row([0.1, -0.2]));
    let v = Variable::new(from_rows([[1.0], [-0.5]]));
    let h = matmul(x, &w) + &b;
    let loss = reduce_sum(sigmoid(matmul(&h, &v))) + reduce_sum(multiply(&h, &h));
    let feed = from_rows([[1.0, 2.0], [-1.0, 0.5], [0.3, -0.7]]);

    compute_gradients(&loss, &feed);
    let expected = vec![
        (0, w.gradient().as_slice().to_vec()),
        (4, b.gradient().as_slice().to_vec()),
        (6, v.gradient().as_slice().to_vec()),
    ];
    let mut minimization = Recorder::default().minimize(&loss);
    minimization.step(&feed);
    minimization.step(&feed);
    let recorder = minimization.optimizer();
    assert_eq!(recorder.steps, 2);
    let twice: Vec<_> = expected.iter().chain(&expected).cloned().collect();
    assert_eq!(recorder.updates, twice);
}

#[test]
fn a_step_uses_the_feed_it_is_given() {
    let x = Placeholder::<f64, 2, 2, 0>::new();
    let c = Placeholder::<f64, 2, 2, 1>::new();
    let w = Variable::new(from_rows([[0.3, -0.1], [0.2, 0.4]]));
    let b = Bias::new(row([0.0, 0.1]));
    let p = softmax(matmul(x, &w) + &b);
    let j = negative(reduce_sum(reduce_sum_axis(multiply(c, log(&p)), Axis::<1>)));
    let first = (from_rows([[1.0, 2.0], [-1.0, -2.0]]), from_rows([[1.0, 0.0], [0.0, 1.0]]));
    let second = (from_rows([[3.0, -1.0], [0.5, 0.5]]), from_rows([[0.0, 1.0], [0.0, 1.0]]));

    let mut minimization = GradientDescent::new(0.1).minimize(&j);
    minimization.step(&first);

    // The gradient at the second feed, computed on its own, is what the next step applies.
    let expected_loss = compute_gradients(&j, &second);
    let (w_before, b_before) = (w.value(), b.value());
    let (w_gradient, b_gradient) = (w.gradient(), b.gradient());
    let loss = minimization.step(&second);
    assert_eq!(loss, expected_loss, "a step returns the loss before its update");
    assert!((w.value() - (w_before - 0.1 * w_gradient)).abs().max() < 1e-15);
    assert!((b.value() - (b_before - 0.1 * b_gradient)).abs().max() < 1e-15);
    assert_ne!(w_gradient, Matrix::<f64, 2, 2>::zeros());
}

/// An optimizer to build for a graph: one with state takes its shape from the graph's
/// variables, so it is made where the graph is.
enum Rule {
    GradientDescent(f64),
    Momentum(f64, f64),
    Adam(f64),
}

/// `$steps` steps of the minimisation `$minimization` on `$feed`.
macro_rules! run {
    ($minimization:expr, $feed:expr, $steps:expr) => {{
        let mut minimization = $minimization;
        for _ in 0..$steps {
            minimization.step($feed);
        }
    }};
}

/// The tutorial's softmax perceptron and cross-entropy on the red/blue clusters, from
/// weights drawn from the standard normal distribution; returns J at the start and after
/// `steps` steps of the optimizer `rule` describes.
fn train_perceptron(rule: Rule, seed: u64, steps: usize) -> (f64, f64) {
    let mut rng = SeededRng::seed_from_u64(seed);
    let data: Clusters<f64, 100> = clusters::red_blue(&mut rng);
    let x = Placeholder::<f64, 100, 2, 0>::new();
    let c = Placeholder::<f64, 100, 2, 1>::new();
    let w = Variable::new(Matrix::<f64, 2, 2>::from_fn(|_, _| standard_normal(&mut rng)));
    let b = Bias::new(RowVector::<f64, 2>::from_fn(|_, _| standard_normal(&mut rng)));
    let p = softmax(matmul(x, &w) + &b);
    let j = negative(reduce_sum(reduce_sum_axis(multiply(c, log(&p)), Axis::<1>)));
    let feed = (data.points, data.labels);
    let first = Session.run(&j, &feed)[0];
    match rule {
        Rule::GradientDescent(rate) => run!(GradientDescent::new(rate).minimize(&j), &feed, steps),
        Rule::Momentum(rate, momentum) => {
            run!(Momentum::new(rate, momentum).minimize(&j), &feed, steps)
        }
        Rule::Adam(rate) => run!(Adam::new(rate).minimize(&j), &feed, steps),
    }
    (first, Session.run(&j, &feed)[0])
}

#[test]
fn part_iv_gradient_descent_cuts_the_loss_by_ninety_percent() {
    // The example part4_training's run: seed 0, learning rate 0.01, 100 steps.
    let (first, last) = train_perceptron(Rule::GradientDescent(0.01), 0, 100);
    assert!(last < 0.1 * first, "J went from {first} to {last}");
}

#[test]
fn minimisation_takes_any_optimizer() {
    // Each optimizer's state takes the graph's shape: W (4 values) then b (2).
    let (first, last) = train_perceptron(Rule::Momentum(0.001, 0.9), 0, 100);
    assert!(last < 0.1 * first, "momentum: J went from {first} to {last}");
    let (first, last) = train_perceptron(Rule::Adam(0.1), 0, 100);
    assert!(last < 0.1 * first, "Adam: J went from {first} to {last}");
}

/// Part V's MLP with `H` hidden units, trained as the example part5_graph_mlp trains it;
/// returns the number of training points it classifies correctly.
fn train_mlp<const H: usize>(rng: &mut SeededRng, data: &Clusters<f64, 100>) -> usize {
    let x = Placeholder::<f64, 100, 2, 0>::new();
    let c = Placeholder::<f64, 100, 2, 1>::new();
    let w_hidden = Variable::new(Matrix::<f64, 2, H>::from_fn(|_, _| standard_normal(rng)));
    let b_hidden = Bias::new(RowVector::<f64, H>::from_fn(|_, _| standard_normal(rng)));
    let w_output = Variable::new(Matrix::<f64, H, 2>::from_fn(|_, _| standard_normal(rng)));
    let b_output = Bias::new(RowVector::<f64, 2>::from_fn(|_, _| standard_normal(rng)));
    let p_hidden = sigmoid(matmul(x, &w_hidden) + &b_hidden);
    let p_output = softmax(matmul(&p_hidden, &w_output) + &b_output);
    let j = negative(reduce_sum(reduce_sum_axis(multiply(c, log(&p_output)), Axis::<1>)));
    let feed = (data.points, data.labels);
    let mut minimization = GradientDescent::new(0.03).minimize(&j);
    for _ in 0..1000 {
        minimization.step(&feed);
    }
    let p = Session.run(&p_output, &data.points);
    (0..100).filter(|&i| usize::from(p[(i, 1)] > p[(i, 0)]) == data.class(i)).count()
}

#[test]
fn part_v_wider_mlp_learns_every_training_point() {
    let mut rng = SeededRng::seed_from_u64(0);
    let data: Clusters<f64, 100> = clusters::xor(&mut rng);
    let tutorial = train_mlp::<2>(&mut rng, &data);
    // Two hidden units can separate XOR, but from this start gradient descent stops short.
    assert!(tutorial > 90, "2 hidden units: {tutorial} of 100");
    assert_eq!(train_mlp::<8>(&mut rng, &data), 100);
}
