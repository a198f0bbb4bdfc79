//! Backpropagation: the gradient of a scalar loss with respect to every variable it uses.

use super::feed::{Checked, Feed, FeedsAt, Read, checked};
use super::shape::{ScalarLoss, ShapeOf};
use super::{Evaluate, Node, Parameter, Pass, VariableVisitor};
use crate::{Element, Matrix};

/// Computes the gradient of the 1 × 1 node `loss` with respect to every variable it depends
/// on, at the feed `feed` and the variables' current values, and returns the loss.
///
/// Afterwards each variable's [`gradient`](super::Variable::gradient) holds `∂loss/∂variable`.
/// This is the tutorial's `compute_gradients(loss)`, in reverse mode over the typed graph:
/// one forward pass computes each node once, one backward pass walks from the loss down. A
/// node with several consumers waits for all their gradients and passes their sum on once,
/// and nodes outside the loss's subgraph are never visited, so other consumers of the same
/// variables change nothing.
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
// The checks of the feed on the line of the name, as `Session::run` has them. `L: Node`
// comes first, so that rustc reads the loss's shape off it before it applies the rules.
#[rustfmt::skip]
#[allow(clippy::multiple_bound_locations)]
pub fn compute_gradients<L: Node<T, R, C>, F: Feed, T: Element, const R: usize, const C: usize>(loss: &L, feed: &F) -> T where <L as ShapeOf<T, R, C>>::Shape: ScalarLoss<R, C>, F::Shape: FeedsAt<0, Read<L, T, R, C, 0>> + FeedsAt<1, Read<L, T, R, C, 1>> + FeedsAt<2, Read<L, T, R, C, 2>> + FeedsAt<3, Read<L, T, R, C, 3>> + FeedsAt<4, Read<L, T, R, C, 4>> + FeedsAt<5, Read<L, T, R, C, 5>>, L: Evaluate<Checked<F, L, T, R, C>, T, R, C> {
    loss.visit_variables(&mut ZeroGradients, Pass::new());
    let pass = Pass::new();
    let value = loss.forward(checked::<F, L, T, R, C>(feed), pass);
    // `ScalarLoss` makes this the 1 × 1 seed ∂loss/∂loss = 1.
    loss.backward(&Matrix::from_element(T::ONE), pass);
    value[(0, 0)]
}

/// Resets every gradient before a backward pass accumulates into it.
struct ZeroGradients;

impl<T: Element> VariableVisitor<T> for ZeroGradients {
    fn visit(&mut self, variable: &dyn Parameter<T>) {
        variable.zero_gradient();
    }
}
