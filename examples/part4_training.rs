//! Part IV of the tutorial: training the softmax perceptron on the red/blue clusters by
//! gradient descent. Backpropagation computes the gradient of the cross-entropy
//! `J = −Σᵢ Σⱼ cᵢⱼ log pᵢⱼ` with respect to W and b; each step moves them by −0.01 times it.
//!
//! Run with `cargo run --release --example part4_training`. It prints J every 10 steps,
//! the learned weights, and draws the learned decision boundary. It fails (non-zero exit)
//! unless J falls by more than 90%. With `-- --plot DIR` it also writes the decision
//! boundary and the curve of J over the steps as `DIR/part4-boundary.png` and
//! `DIR/part4-loss.png` (for the book).

use ferroflow::clusters::{self, Clusters};
use ferroflow::graph::*;
use ferroflow::init::standard_normal;
use ferroflow::matrix::from_rows;
use ferroflow::{GradientDescent, Matrix, RowVector, SeedableRng, SeededRng};
use std::io::IsTerminal;

mod pictures;

/// The seed of the data and of the initial weights; `--seed N` picks another.
const SEED: u64 = 0;
/// How far each step moves W and b against the gradient.
const LEARNING_RATE: f64 = 0.01;
/// How many steps of gradient descent.
const STEPS: usize = 100;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let arguments = pictures::arguments(true)?;
    let seed = arguments.seed.unwrap_or(SEED);
    let mut rng = SeededRng::seed_from_u64(seed);
    println!(
        "seed {seed}: 50 red points round (-2, -2), 50 blue round (2, 2), standard deviation 1"
    );
    let data: Clusters<f64, 100> = clusters::red_blue(&mut rng);

    // W and b start from the standard normal distribution, as the tutorial's np.random.randn.
    // Class 0 (column 0) is red, class 1 blue.
    // ANCHOR: graph
    let x = Placeholder::<f64, 100, 2, 0>::new();
    let c = Placeholder::<f64, 100, 2, 1>::new();
    let w = Variable::new(Matrix::<f64, 2, 2>::from_fn(|_, _| standard_normal(&mut rng)));
    let b = Bias::new(RowVector::<f64, 2>::from_fn(|_, _| standard_normal(&mut rng)));
    let p = softmax(matmul(x, &w) + &b);
    let j = negative(reduce_sum(reduce_sum_axis(multiply(c, log(&p)), Axis::<1>)));
    // ANCHOR_END: graph

    // ANCHOR: train
    let feed = (data.points, data.labels);
    let mut minimization = GradientDescent::new(LEARNING_RATE).minimize(&j);
    println!("gradient descent on J = -Σ c log p, learning rate {LEARNING_RATE}, {STEPS} steps");
    let first = Session.run(&j, &feed)[0];
    // J before each step, and after the last: the loss curve of the pictures.
    let mut losses = Vec::with_capacity(STEPS + 1);
    for step in 0..STEPS {
        // One step: forward and backward on this feed, then W and b move against the
        // gradient. It returns J before the move.
        let loss = minimization.step(&feed);
        losses.push(loss);
        if step % 10 == 0 {
            println!("step {step:>3}  J = {loss:.4}");
        }
    }
    let last = Session.run(&j, &feed)[0];
    losses.push(last);
    // ANCHOR_END: train
    println!("step {STEPS:>3}  J = {last:.4}  ({:.1}% below step 0)", 100.0 * (1.0 - last / first));

    let (wv, bv) = (w.value(), b.value());
    println!(
        "\nweight matrix W:\n  [[{:8.4}, {:8.4}],\n   [{:8.4}, {:8.4}]]",
        wv[(0, 0)],
        wv[(0, 1)],
        wv[(1, 0)],
        wv[(1, 1)]
    );
    println!("bias b:\n  [{:8.4}, {:8.4}]", bv[0], bv[1]);

    // The boundary is where both classes are equally likely: z₀ = z₁ with z = x W + b, that
    // is (W₀ − W₁)·x + b₀ − b₁ = 0 for the columns W₀, W₁ of W. (The tutorial plots
    // W₀·x + b₀ = 0, which is the boundary only when W₁ = −W₀ and b₁ = −b₀.)
    let (a1, a2, a0) = (wv[(0, 0)] - wv[(0, 1)], wv[(1, 0)] - wv[(1, 1)], bv[0] - bv[1]);
    println!("\nlearned decision boundary: {a1:.4} x{} y{} = 0", signed(a2), signed(a0));
    if a2 != 0.0 {
        println!("  i.e. y = {:.4} x{}", -a1 / a2, signed(-a0 / a2));
    }

    // The map classifies each cell with the trained perceptron itself, through a graph for
    // one point that shares W and b.
    let point = Placeholder::<f64, 1, 2, 0>::new();
    let p_point = softmax(matmul(point, &w) + &b);
    let classify = |x: f64, y: f64| argmax(&Session.run(&p_point, &from_rows([[x, y]])));
    let points: Vec<_> =
        (0..100).map(|i| (data.points[(i, 0)], data.points[(i, 1)], data.class(i))).collect();
    println!("(red: class 0, blue: class 1; dots are the data)");
    let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    print!(
        "{}",
        ferroflow::plot::decision_map(classify, &points, (-5.0, 5.0), (-5.0, 5.0), 60, 24, colour)
    );
    let correct = points.iter().filter(|&&(x, y, class)| classify(x, y) == class).count();
    println!("{correct} of 100 points classified correctly");
    if let Some(dir) = &arguments.plot {
        let range = (-5.0, 5.0);
        pictures::decision_boundary(dir, "part4-boundary.png", classify, &points, range, range)?;
        pictures::loss_curve(dir, "part4-loss.png", &losses)?;
    }

    if last < 0.1 * first {
        Ok(())
    } else {
        Err(format!("J fell from {first:.4} to {last:.4}, less than 90%").into())
    }
}

/// ` + v` or ` − |v|`, to write a term of an equation.
fn signed(v: f64) -> String {
    if v < 0.0 { format!(" - {:.4}", -v) } else { format!(" + {v:.4}") }
}

/// The more likely class of a one-point batch's probabilities.
fn argmax(p: &Matrix<f64, 1, 2>) -> usize {
    usize::from(p[1] > p[0])
}
