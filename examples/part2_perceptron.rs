//! Part II of the tutorial: perceptrons as graphs. First the sigmoid perceptron
//! `σ(wᵀx + b)` with w = (1, 1), b = 0 on the point (3, 2); then the softmax perceptron
//! `softmax(X W + b)` with W = [[1, −1], [1, −1]], b = [0, 0] on the red/blue clusters.
//!
//! Run with `cargo run --release --example part2_perceptron`; with `-- --plot DIR` it also
//! writes the decision boundary as `DIR/part2-boundary.png` (for the book).

use ferroflow::clusters::{self, Clusters};
use ferroflow::graph::*;
use ferroflow::matrix::{from_rows, row};
use ferroflow::{Matrix, SeedableRng, SeededRng};
use std::io::IsTerminal;

// Only the decision boundary is drawn here: this perceptron is not trained, so it has no
// loss curve.
#[allow(dead_code)]
mod pictures;

/// The seed of the red/blue clusters (part III's example uses the same one).
const SEED: u64 = 0;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let plot = pictures::arguments(false)?.plot;
    // ANCHOR: sigmoid
    // The sigmoid perceptron on one point: a batch of one sample with two features.
    let x = Placeholder::<f64, 1, 2, 0>::new();
    let w = Variable::new(from_rows([[1.0], [1.0]]));
    let b = Bias::new(row([0.0]));
    let p = sigmoid(matmul(x, &w) + &b);
    let blue = Session.run(&p, &from_rows([[3.0, 2.0]]))[0];
    println!("sigmoid perceptron, w = (1, 1), b = 0:");
    println!("  p(blue | (3, 2)) = σ(5) = {blue:.9}");
    // ANCHOR_END: sigmoid

    // The softmax perceptron on the red/blue clusters.
    println!(
        "\nseed {SEED}: 50 red points round (-2, -2), 50 blue round (2, 2), standard deviation 1"
    );
    let data: Clusters<f64, 100> = clusters::red_blue(&mut SeededRng::seed_from_u64(SEED));
    // ANCHOR: softmax
    let x = Placeholder::<f64, 100, 2, 0>::new();
    let w = Variable::new(from_rows([[1.0, -1.0], [1.0, -1.0]]));
    let b = Bias::new(row([0.0, 0.0]));
    let p = softmax(matmul(x, &w) + &b);
    let probabilities = Session.run(&p, &data.points);
    // ANCHOR_END: softmax

    // The tutorial feeds the blue points first and labels them [1, 0]: with its
    // W = [[1, −1], [1, −1]], column 0 scores x₁ + x₂, high near (2, 2). So column 0 is
    // blue and column 1 red, the reverse of ferroflow's data sets (red is class 0).
    println!(
        "softmax perceptron, W = [[1, -1], [1, -1]], b = [0, 0] (column 0: blue, as in the tutorial)"
    );
    println!("  {:>16}  {:>8}  {:>8}", "point", "p(blue)", "p(red)");
    for i in [50, 51, 52, 0, 1, 2] {
        let colour = if data.class(i) == 0 { "red" } else { "blue" };
        println!(
            "  {colour:>4} ({:>5.2}, {:>5.2})  {:>8.6}  {:>8.6}",
            data.points[(i, 0)],
            data.points[(i, 1)],
            probabilities[(i, 0)],
            probabilities[(i, 1)]
        );
    }
    let correct = (0..100).filter(|&i| classify_row(&probabilities, i) == data.class(i)).count();
    println!("  {correct} of 100 points on the right side of the line");

    // The same perceptron on one point at a time draws the map: its variables are shared.
    let point = Placeholder::<f64, 1, 2, 0>::new();
    let p_point = softmax(matmul(point, &w) + &b);
    let classify = |x: f64, y: f64| classify_row(&Session.run(&p_point, &from_rows([[x, y]])), 0);
    let points: Vec<_> =
        (0..100).map(|i| (data.points[(i, 0)], data.points[(i, 1)], data.class(i))).collect();
    println!(
        "\nits decision boundary x₁ + x₂ = 0 (red: class 0, blue: class 1; dots are the data):"
    );
    let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    print!(
        "{}",
        ferroflow::plot::decision_map(classify, &points, (-5.0, 5.0), (-5.0, 5.0), 60, 24, colour)
    );
    if let Some(dir) = plot {
        pictures::decision_boundary(
            &dir,
            "part2-boundary.png",
            classify,
            &points,
            (-5.0, 5.0),
            (-5.0, 5.0),
        )?;
    }
    Ok(())
}

/// The class ferroflow's way (0 red, 1 blue) of row `i` of probabilities in the
/// tutorial's column order (0 blue, 1 red).
fn classify_row<const B: usize>(probabilities: &Matrix<f64, B, 2>, i: usize) -> usize {
    usize::from(probabilities[(i, 0)] >= probabilities[(i, 1)])
}
