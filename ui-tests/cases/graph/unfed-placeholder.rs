// The loss reads the labels at position 1 of the feed, but the feed holds only the points.
use ferroflow::graph::*;
use ferroflow::matrix::{row, zeros};

fn main() {
    let x = Placeholder::<f64, 100, 2, 0>::new();
    let c = Placeholder::<f64, 100, 2, 1>::new();
    let w = Variable::new(zeros::<f64, 2, 2>());
    let b = Bias::new(row([0.0, 0.0]));
    let p = softmax(matmul(x, &w) + &b);
    let j = negative(reduce_sum(multiply(c, log(&p))));
    let points = zeros::<f64, 100, 2>();
    let _ = Session.run(&j, &(points,));
}
