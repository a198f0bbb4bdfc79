// A matrix has axes 0 and 1; the tutorial's loss sums along axis 1, not 2.
use ferroflow::graph::*;
use ferroflow::matrix::zeros;

fn main() {
    let p = Constant::new(zeros::<f64, 100, 2>());
    let _per_sample = reduce_sum_axis(log(p), Axis::<2>);
}
