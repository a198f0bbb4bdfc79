// Gradient descent minimises a scalar; the probabilities themselves are 100×2.
use ferroflow::GradientDescent;
use ferroflow::graph::*;
use ferroflow::matrix::{row, zeros};

fn main() {
    let x = Placeholder::<f64, 100, 2, 0>::new();
    let w = Variable::new(zeros::<f64, 2, 2>());
    let b = Bias::new(row([0.0, 0.0]));
    let p = softmax(matmul(x, &w) + &b);
    let _minimization = GradientDescent::new(0.01).minimize(&p);
}
