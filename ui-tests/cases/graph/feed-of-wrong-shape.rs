// The placeholder holds 100 points of 2 features; the feed gives 100 points of 3.
use ferroflow::graph::*;
use ferroflow::matrix::{row, zeros};

fn main() {
    let x = Placeholder::<f64, 100, 2, 0>::new();
    let w = Variable::new(zeros::<f64, 2, 2>());
    let b = Bias::new(row([0.0, 0.0]));
    let p = softmax(matmul(x, &w) + &b);
    let points = zeros::<f64, 100, 3>();
    let _ = Session.run(&p, &points);
}
