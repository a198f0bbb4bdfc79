//! Part IV of the tutorial: training the softmax perceptron on the red/blue clusters by
//! gradient descent. Backpropagation computes the gradient of the cross-entropy
//! `J = −Σᵢ Σⱼ cᵢⱼ log pᵢⱼ` with respect to W and b; each step moves them by −0.01 times it.
//!
//! Run with `cargo run --release --example part4_training`. It prints J every 10 steps,
//! the learned weights, and draws the learned decision boundary. It fails (non-zero exit)
//! unless J falls by more than 90%.

use ferroflow::datasets::{self, Clusters};
use ferroflow::graph::*;
use ferroflow::init::standard_normal;
use ferroflow::matrix::from_rows;
use ferroflow::{GradientDescent, Matrix, RowVector, SeedableRng, SeededRng};
use std::io::IsTerminal;

/// The seed of the data and of the initial weights; `--seed N` picks another.
const SEED: u64 = 0;
const LEARNING_RATE: f64 = 0.01;
const STEPS: usize = 100;

fn main() -> Result<(), String> {
    let seed = seed()?;
    let mut rng = SeededRng::seed_from_u64(seed);
    println!(
        "seed {seed}: 50 red points round (-2, -2), 50 blue round (2, 2), standard deviation 1"
    );
    let data: Clusters<f64, 100> = datasets::red_blue(&mut rng);

    // W and b start from the standard normal distribution, as the tutorial's np.random.randn.
    // Class 0 (column 0) is red, class 1 blue.
    let x = Placeholder::<f64, 100, 2, 0>::new();
    let c = Placeholder::<f64, 100, 2, 1>::new();
    let w = Variable::new(Matrix::<f64, 2, 2>::from_fn(|_, _| standard_normal(&mut rng)));
    let b = Bias::new(RowVector::<f64, 2>::from_fn(|_, _| standard_normal(&mut rng)));
    let p = softmax(matmul(x, &w) + &b);
    let j = negative(reduce_sum(reduce_sum_axis(multiply(c, log(&p)), Axis::<1>)));

    let feed = (data.points, data.labels);
    let mut minimization = GradientDescent::new(LEARNING_RATE).minimize(&j);
    println!("gradient descent on J = -Σ c log p, learning rate {LEARNING_RATE}, {STEPS} steps");
    let first = Session.run(&j, &feed)[0];
    for step in 0..STEPS {
        // One step: forward and backward on this feed, then W and b move against the
        // gradient. It returns J before the move.
        let loss = minimization.step(&feed);
        if step % 10 == 0 {
            println!("step {step:>3}  J = {loss:.4}");
        }
    }
    let last = Session.run(&j, &feed)[0];
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

    if last < 0.1 * first {
        Ok(())
    } else {
        Err(format!("J fell from {first:.4} to {last:.4}, less than 90%"))
    }
}

/// ` + v` or ` − |v|`, to write a term of an equation.
fn signed(v: f64) -> String {
    if v < 0.0 { format!(" - {:.4}", -v) } else { format!(" + {v:.4}") }
}

fn argmax(p: &Matrix<f64, 1, 2>) -> usize {
    usize::from(p[1] > p[0])
}

/// [`SEED`], or the `N` of `--seed N`.
fn seed() -> Result<u64, String> {
    let mut args = std::env::args().skip(1);
    match (args.next().as_deref(), args.next()) {
        (None, _) => Ok(SEED),
        (Some("--seed"), Some(n)) => {
            n.parse().map_err(|_| format!("--seed needs a number, not {n:?}"))
        }
        _ => Err("usage: [--seed N]".into()),
    }
}
