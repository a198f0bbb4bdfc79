// A bias of 3 values added to a 100×2 product: wrong even if the sum is never used.
use ferroflow::graph::*;
use ferroflow::matrix::{row, zeros};

fn main() {
    let x = Placeholder::<f64, 100, 2, 0>::new();
    let w = Variable::new(zeros::<f64, 2, 2>());
    let b = Bias::new(row([0.0f64, 0.0, 0.0]));
    let _unused = matmul(x, &w) + &b;
}
