// The perceptron has 2 classes, the labels placeholder 3.
use ferroflow::graph::*;
use ferroflow::matrix::{row, zeros};

fn main() {
    let x = Placeholder::<f64, 100, 2, 0>::new();
    let c = Placeholder::<f64, 100, 3, 1>::new();
    let w = Variable::new(zeros::<f64, 2, 2>());
    let b = Bias::new(row([0.0, 0.0]));
    let p = softmax(matmul(x, &w) + &b);
    let _ce = multiply(c, log(&p));
}
