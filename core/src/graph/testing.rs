//! Test helper: checks a graph's gradient for one variable by finite differences.

use super::{Evaluate, Session, Variable, compute_gradients};

/// Asserts that backpropagation through `loss` gives the gradient that central finite
/// differences of `Session.run(loss)` give, for every element of `variable`.
pub fn assert_graph_gradient<L, const R: usize, const C: usize>(
    what: &str,
    loss: &L,
    variable: &Variable<f64, R, C>,
) where
    L: Evaluate<(), f64, 1, 1>,
{
    compute_gradients(loss, &());
    let analytic = variable.gradient();
    let start = variable.value();
    crate::testing::assert_gradient(what, &start, &analytic, |v| {
        variable.set(*v);
        Session.run(loss, &())[0]
    });
    variable.set(start);
}
