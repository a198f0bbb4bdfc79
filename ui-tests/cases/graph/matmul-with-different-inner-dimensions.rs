// A batch of 2 features times weights that read 3.
use ferroflow::graph::*;
use ferroflow::matrix::zeros;

fn main() {
    let x = Placeholder::<f64, 100, 2, 0>::new();
    let w = Variable::new(zeros::<f64, 3, 2>());
    let _z = matmul(x, &w);
}
