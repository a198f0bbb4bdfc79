//! Part I of the tutorial: a computational graph of a placeholder, two variables and two
//! operations, `y = A x + b`, evaluated by a session.
//!
//! Run with `cargo run --release --example part1_graph`. It prints `[2, -1]`.

use ferroflow::graph::*;
use ferroflow::matrix::from_rows;

fn main() {
    // ANCHOR: graph
    // A = [[1, 0], [0, -1]], b = [1, 1]: the tutorial's variables. x is a column vector, so
    // b is a column too (a 2 × 1 matrix).
    let a = Variable::new(from_rows([[1.0, 0.0], [0.0, -1.0]]));
    let b = Variable::new(from_rows([[1.0], [1.0]]));
    // The placeholder x: a 2 × 1 matrix of f64, position 0 of the feed.
    let x = Placeholder::<f64, 2, 1, 0>::new();

    // y = A x + b. The shapes are in the types: a 3 × 1 b, or an x of 3 rows, would not
    // compile.
    let y = matmul(&a, x) + &b;
    // ANCHOR_END: graph

    // ANCHOR: run
    // The tutorial's feed {x: [1, 2]}: a lone matrix feeds the placeholder at position 0.
    let output = Session.run(&y, &from_rows([[1.0], [2.0]]));
    println!("y = A x + b with A = [[1, 0], [0, -1]], b = [1, 1], x = [1, 2]:");
    println!("[{}, {}]", output[0], output[1]);
    // ANCHOR_END: run
}
