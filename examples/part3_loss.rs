//! Part III of the tutorial: the cross-entropy loss `J = −Σᵢ Σⱼ cᵢⱼ log pᵢⱼ` of part II's
//! fixed softmax perceptron (W = [[1, −1], [1, −1]], b = [0, 0]) on the red/blue clusters,
//! built from the graph's `log`, `multiply`, `reduce_sum` and `negative` as the tutorial
//! builds it. `tests/graph_loss.rs` checks the value against an independent computation.
//!
//! Run with `cargo run --release --example part3_loss`.

use ferroflow::clusters::{self, Clusters};
use ferroflow::graph::*;
use ferroflow::matrix::{from_rows, row};
use ferroflow::{Matrix, SeedableRng, SeededRng};

/// The seed of the red/blue clusters, the same as part II's.
const SEED: u64 = 0;

fn main() {
    println!(
        "seed {SEED}: 50 red points round (-2, -2), 50 blue round (2, 2), standard deviation 1"
    );
    let data: Clusters<f64, 100> = clusters::red_blue(&mut SeededRng::seed_from_u64(SEED));

    // ANCHOR: loss
    let x = Placeholder::<f64, 100, 2, 0>::new();
    let c = Placeholder::<f64, 100, 2, 1>::new();
    let w = Variable::new(from_rows([[1.0, -1.0], [1.0, -1.0]]));
    let b = Bias::new(row([0.0, 0.0]));
    let p = softmax(matmul(x, &w) + &b);
    // J = −Σᵢ Σⱼ cᵢⱼ log pᵢⱼ: a sum over the batch, as in the tutorial.
    let j = negative(reduce_sum(reduce_sum_axis(multiply(c, log(&p)), Axis::<1>)));
    // ANCHOR_END: loss

    // The tutorial's W puts blue in column 0 (it feeds the blue points first, labelled
    // [1, 0]); ferroflow's data sets label red [1, 0]. The labels are fed in the tutorial's
    // order, so that the loss is that of the tutorial's perceptron.
    // ANCHOR: run
    let labels = tutorial_order(&data.labels);
    let loss = Session.run(&j, &(data.points, labels))[0];
    println!("W = [[1, -1], [1, -1]], b = [0, 0] (column 0: blue, as in the tutorial)");
    println!("cross-entropy J = {loss:.6} over 100 points ({:.6} per point)", loss / 100.0);
    // ANCHOR_END: run
}

/// One-hot labels with their two columns swapped: blue [1, 0], red [0, 1].
fn tutorial_order(labels: &Matrix<f64, 100, 2>) -> Matrix<f64, 100, 2> {
    Matrix::from_fn(|i, j| labels[(i, 1 - j)])
}
