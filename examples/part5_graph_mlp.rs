//! Part V of the tutorial: a multi-layer perceptron built as a graph learns the XOR-like
//! clusters, which no straight line separates. A hidden layer of sigmoid units feeds a
//! softmax output; gradient descent (learning rate 0.03, 1000 steps) minimises the
//! cross-entropy `J = −Σᵢ Σⱼ cᵢⱼ log pᵢⱼ`.
//!
//! First the tutorial's network, with 2 hidden units; then the same with a wider hidden
//! layer, which classifies every training point correctly.
//!
//! Run with `cargo run --release --example part5_graph_mlp`. It fails (non-zero exit)
//! unless the wider network reaches 100% training accuracy. With `-- --plot DIR` it also
//! writes each network's decision boundary and loss curve as
//! `DIR/part5-hidden-H-boundary.png` and `DIR/part5-hidden-H-loss.png`, H being its hidden
//! width (for the book).

use ferroflow::clusters::{self, Clusters};
use ferroflow::graph::*;
use ferroflow::init::standard_normal;
use ferroflow::matrix::from_rows;
use ferroflow::{GradientDescent, Matrix, RowVector, SeedableRng, SeededRng};
use std::io::IsTerminal;
use std::path::Path;

mod pictures;

/// The seed of the data and of both networks' initial weights; `--seed N` picks another.
const SEED: u64 = 0;
/// How far each step moves the weights against the gradient.
const LEARNING_RATE: f64 = 0.03;
/// How many steps of gradient descent each network takes.
const STEPS: usize = 1000;
/// The hidden width of the second network.
const WIDE: usize = 8;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let arguments = pictures::arguments(true)?;
    let seed = arguments.seed.unwrap_or(SEED);
    let plot = arguments.plot.as_deref();
    let mut rng = SeededRng::seed_from_u64(seed);
    println!(
        "seed {seed}: 100 points, red round (0, 0) and (1, 1), blue round (0, 1) and (1, 0), standard deviation 0.2"
    );
    let data: Clusters<f64, 100> = clusters::xor(&mut rng);

    println!("\nthe tutorial's network: 2 → 2 (sigmoid) → 2 (softmax)");
    train::<2>(&mut rng, &data, plot)?;
    println!("\na wider hidden layer: 2 → {WIDE} (sigmoid) → 2 (softmax)");
    let accuracy = train::<WIDE>(&mut rng, &data, plot)?;

    if accuracy == 100 {
        Ok(())
    } else {
        Err(format!("the wider network classifies {accuracy} of 100 points correctly, not all")
            .into())
    }
}

/// Builds the MLP with `H` hidden units as a graph, trains it and draws its decision
/// boundary (also as pictures in `plot`, if given); returns how many of the 100 training
/// points it classifies correctly.
fn train<const H: usize>(
    rng: &mut SeededRng,
    data: &Clusters<f64, 100>,
    plot: Option<&Path>,
) -> Result<usize, Box<dyn std::error::Error>> {
    // Every weight and bias starts from the standard normal distribution, as the
    // tutorial's np.random.randn.
    // ANCHOR: graph
    let x = Placeholder::<f64, 100, 2, 0>::new();
    let c = Placeholder::<f64, 100, 2, 1>::new();
    let w_hidden = Variable::new(Matrix::<f64, 2, H>::from_fn(|_, _| standard_normal(rng)));
    let b_hidden = Bias::new(RowVector::<f64, H>::from_fn(|_, _| standard_normal(rng)));
    let w_output = Variable::new(Matrix::<f64, H, 2>::from_fn(|_, _| standard_normal(rng)));
    let b_output = Bias::new(RowVector::<f64, 2>::from_fn(|_, _| standard_normal(rng)));

    let p_hidden = sigmoid(matmul(x, &w_hidden) + &b_hidden);
    let p_output = softmax(matmul(&p_hidden, &w_output) + &b_output);
    let j = negative(reduce_sum(reduce_sum_axis(multiply(c, log(&p_output)), Axis::<1>)));
    // ANCHOR_END: graph

    // ANCHOR: train
    let feed = (data.points, data.labels);
    let mut minimization = GradientDescent::new(LEARNING_RATE).minimize(&j);
    // J before each step, and after the last: the loss curve of the pictures.
    let mut losses = Vec::with_capacity(STEPS + 1);
    for step in 0..STEPS {
        let loss = minimization.step(&feed);
        losses.push(loss);
        if step % 100 == 0 {
            println!("step {step:>4}  J = {loss:.4}");
        }
    }
    let last = Session.run(&j, &feed)[0];
    losses.push(last);
    println!("step {STEPS:>4}  J = {last:.4}");
    // ANCHOR_END: train

    // The trained network on one point at a time, sharing its variables with the batch
    // graph, draws the map and counts the points it gets right.
    let point = Placeholder::<f64, 1, 2, 0>::new();
    let hidden = sigmoid(matmul(point, &w_hidden) + &b_hidden);
    let output = softmax(matmul(hidden, &w_output) + &b_output);
    let classify = |x: f64, y: f64| {
        let p = Session.run(&output, &from_rows([[x, y]]));
        usize::from(p[1] > p[0])
    };
    let points: Vec<_> =
        (0..100).map(|i| (data.points[(i, 0)], data.points[(i, 1)], data.class(i))).collect();
    let correct = points.iter().filter(|&&(x, y, class)| classify(x, y) == class).count();
    println!("training accuracy: {correct} of 100 points");
    println!("(red: class 0, blue: class 1; dots are the data)");
    let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    print!(
        "{}",
        ferroflow::plot::decision_map(classify, &points, (-0.6, 1.6), (-0.6, 1.6), 48, 20, colour)
    );
    if let Some(dir) = plot {
        let (boundary, curve) =
            (format!("part5-hidden-{H}-boundary.png"), format!("part5-hidden-{H}-loss.png"));
        pictures::decision_boundary(dir, &boundary, classify, &points, (-0.6, 1.6), (-0.6, 1.6))?;
        pictures::loss_curve(dir, &curve, &losses)?;
    }
    Ok(correct)
}
