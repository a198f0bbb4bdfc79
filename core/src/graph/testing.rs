//! Test helper: checks a graph's gradient for one variable by finite differences.

use super::feed::ReadsNothing;
use super::{Evaluate, Node, Session, Variable, compute_gradients};

/// Asserts that backpropagation through `loss` gives the gradient that central finite
/// differences of `Session.run(loss)` give, for every element of `variable`.
pub fn assert_graph_gradient<L, const R: usize, const C: usize>(
    what: &str,
    loss: &L,
    variable: &Variable<f64, R, C>,
) where
    // A graph without placeholders, run on the empty feed.
    L: Evaluate<(), f64, 1, 1> + Node<f64, 1, 1, Placeholders = ReadsNothing>,
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
