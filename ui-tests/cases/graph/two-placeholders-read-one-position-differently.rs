// Two placeholders at position 0, one of 2 columns and one of 3: no feed can fit both.
use ferroflow::graph::*;
use ferroflow::matrix::zeros;

fn main() {
    let x = Placeholder::<f64, 4, 2, 0>::new();
    let y = Placeholder::<f64, 4, 3, 0>::new();
    let w = Variable::new(zeros::<f64, 2, 3>());
    let z = matmul(x, &w) + y;
    let _ = Session.run(&z, &zeros::<f64, 4, 2>());
}
