//! Backpropagation: the gradient of a scalar loss with respect to every variable it uses.

use super::shape::ScalarLoss;
use super::{Evaluate, Variable, VariableVisitor};
use crate::{Element, Matrix};

/// Computes the gradient of the 1 × 1 node `loss` with respect to every variable it depends
/// on, at the feed `feed` and the variables' current values, and returns the loss.
///
/// Afterwards each variable's [`gradient`](Variable::gradient) holds `∂loss/∂variable`.
/// This is the tutorial's `compute_gradients(loss)`, in reverse mode over the typed graph:
/// one forward pass records a trace, one backward pass walks it from the loss down. A node
/// with several consumers receives the sum of their gradients (each path adds its share to
/// the variables below), and nodes outside the loss's subgraph are never visited, so other
/// consumers of the same variables change nothing.
///
/// ```
/// use ferroflow_core::graph::*;
/// use ferroflow_core::matrix::from_rows;
/// // A skip connection: x feeds the sum directly and through a sigmoid.
/// let x = Variable::new(from_rows([[0.0]]));
/// let y = reduce_sum(&x + sigmoid(&x));
/// compute_gradients(&y, &());
/// assert_eq!(x.gradient()[0], 1.0 + 0.25); // 1 + σ'(0)
/// ```
pub fn compute_gradients<L, F, T: Element, const R: usize, const C: usize>(loss: &L, feed: &F) -> T
where
    L: Evaluate<F, T, R, C>,
    L: ScalarLoss<R, C>,
{
    loss.visit_variables(&mut ZeroGradients);
    let (value, trace) = loss.forward(feed);
    // `ScalarLoss` makes this the 1 × 1 seed ∂loss/∂loss = 1.
    loss.backward(&trace, &Matrix::from_element(T::ONE));
    value[(0, 0)]
}

/// Resets every gradient before a backward pass accumulates into it.
struct ZeroGradients;

impl<T: Element> VariableVisitor<T> for ZeroGradients {
    fn visit<const R: usize, const C: usize>(&mut self, variable: &Variable<T, R, C>) {
        variable.zero_gradient();
    }
}
