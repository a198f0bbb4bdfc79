// Adding a 100×3 matrix to a 100×2 one.
use ferroflow::graph::*;
use ferroflow::matrix::zeros;

fn main() {
    let x = Placeholder::<f64, 100, 2, 0>::new();
    let y = Constant::new(zeros::<f64, 100, 3>());
    let _sum = add(x, y);
}
