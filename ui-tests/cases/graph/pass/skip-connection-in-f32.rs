// A node with two consumers (a skip connection) in f32, with a constant and relu/tanh.
use ferroflow::graph::*;
use ferroflow::matrix::from_rows;

fn main() {
    let x = Variable::new(from_rows([[0.0f32, 1.0]]));
    let shift = Constant::new(from_rows([[0.5f32, -0.5]]));
    let h = tanh(&x + shift);
    let y = reduce_sum(&h + relu(&h) + -sigmoid(&x));
    let value = compute_gradients(&y, &());
    assert!(value.is_finite());
    assert!(x.gradient().iter().all(|g| g.is_finite()));
}
