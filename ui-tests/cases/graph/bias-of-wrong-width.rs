// softmax(matmul(x, w) + b) where b has 3 values but matmul(x, w) has 2 columns.
use ferroflow::graph::*;
use ferroflow::matrix::{row, zeros};

fn main() {
    let x = Placeholder::<f64, 100, 2, 0>::new();
    let w = Variable::new(zeros::<f64, 2, 2>());
    let b = Bias::new(row([0.0, 0.0, 0.0]));
    let _p = softmax(matmul(x, &w) + &b);
}
