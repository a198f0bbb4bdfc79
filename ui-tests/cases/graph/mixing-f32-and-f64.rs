// f32 points times f64 weights.
use ferroflow::graph::*;
use ferroflow::matrix::zeros;

fn main() {
    let x = Placeholder::<f32, 100, 2, 0>::new();
    let w = Variable::new(zeros::<f64, 2, 2>());
    let _z = matmul(x, &w);
}
