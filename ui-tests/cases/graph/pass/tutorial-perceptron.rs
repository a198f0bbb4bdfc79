// The tutorial's softmax perceptron, its cross-entropy and a step of gradient descent,
// from a crate that depends on ferroflow alone.
use ferroflow::GradientDescent;
use ferroflow::graph::*;
use ferroflow::matrix::{from_rows, row};

fn main() {
    let x = Placeholder::<f64, 4, 2, 0>::new();
    let c = Placeholder::<f64, 4, 2, 1>::new();
    let w = Variable::new(from_rows([[1.0, -1.0], [1.0, -1.0]]));
    let b = Bias::new(row([0.0, 0.0]));
    let p = softmax(matmul(x, &w) + &b);
    let j = negative(reduce_sum(reduce_sum_axis(multiply(c, log(&p)), Axis::<1>)));
    let points = from_rows([[2.0, 2.0], [1.0, 3.0], [-2.0, -1.0], [-3.0, -2.0]]);
    let labels = from_rows([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.0, 1.0]]);
    let feed = (points, labels);
    let before = Session.run(&j, &feed)[0];
    let mut minimization = GradientDescent::new(0.01).minimize(&j);
    minimization.step(&feed);
    assert!(Session.run(&j, &feed)[0] < before);
    // The probabilities need only the points: a lone matrix feeds position 0.
    assert!(Session.run(&p, &points)[(0, 0)] > 0.5);
}
