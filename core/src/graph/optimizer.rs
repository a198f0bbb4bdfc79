//! Minimisation: the tutorial's `GradientDescentOptimizer(learning_rate).minimize(loss)`,
//! for any [`Optimizer`].

use super::feed::{Checked, Feed, FeedsAt, Read};
use super::shape::{ScalarLoss, ShapeOf};
use super::{Evaluate, Node, Parameter, Pass, VariableVisitor, compute_gradients};
use crate::{Element, Optimizer, OptimizerFor};
use core::marker::PhantomData;

/// Hands the gradient computed for each variable of `loss` to `optimizer`, once per
/// variable however many times the graph uses it, and returns the number of scalars
/// updated.
///
/// Variables are visited in the graph's fixed order; the offset passed to
/// [`Optimizer::update`] is the position of the variable's use in that order, as the
/// graph's [`Node::Variables`] lays out an optimizer's state, so an optimizer with
/// per-parameter state (momentum, Adam) finds the same state each step. Call
/// [`compute_gradients`] first; a variable without a fresh gradient is left alone.
pub fn apply_gradients<L, T: Element, O, const R: usize, const C: usize>(
    loss: &L,
    optimizer: &mut O,
) -> usize
where
    L: Node<T, R, C>,
    O: OptimizerFor<T, L::Variables>,
{
    optimizer.begin_step();
    let mut apply = ApplyGradients { optimizer, offset: 0, updated: 0 };
    loss.visit_variables(&mut apply, Pass::new());
    apply.updated
}

struct ApplyGradients<'o, O> {
    optimizer: &'o mut O,
    /// The flat position of the next variable use.
    offset: usize,
    /// How many scalars were updated.
    updated: usize,
}

impl<T: Element, O: Optimizer<T>> VariableVisitor<T> for ApplyGradients<'_, O> {
    fn visit(&mut self, variable: &dyn Parameter<T>) {
        // Every use has its place in the state, updated or not (a second use of a variable
        // finds its gradient applied already).
        if variable.apply_gradient(self.optimizer, self.offset) {
            self.updated += variable.len();
        }
        self.offset += variable.len();
    }

    fn skip(&mut self, len: usize) {
        self.offset += len;
    }
}

/// Turns an optimizer into a minimisation of a loss: `GradientDescent::new(0.01)
/// .minimize(&loss)`, `Adam::new(0.1).minimize(&loss)`. Implemented for every
/// [`Optimizer`]; one with state (momentum, Adam) takes its shape from the loss's
/// variables.
pub trait Minimize<T: Element>: Optimizer<T> + Sized {
    /// The minimisation of the 1 × 1 node `loss` with this optimizer; each
    /// [`step`](Minimization::step) updates every variable `loss` depends on.
    // The rule on the line of the name, unformatted: rustc then quotes that one line.
    #[rustfmt::skip]
    fn minimize<L: Node<T, R, C>, const R: usize, const C: usize>(self, loss: &L) -> Minimization<'_, T, Self, L> where <L as ShapeOf<T, R, C>>::Shape: ScalarLoss<R, C>,
        Self: OptimizerFor<T, L::Variables>;
}

impl<T: Element, O: Optimizer<T>> Minimize<T> for O {
    #[rustfmt::skip]
    fn minimize<L: Node<T, R, C>, const R: usize, const C: usize>(self, loss: &L) -> Minimization<'_, T, Self, L> where <L as ShapeOf<T, R, C>>::Shape: ScalarLoss<R, C>,
        Self: OptimizerFor<T, L::Variables>,
    {
        Minimization { optimizer: self, loss, element: PhantomData }
    }
}

/// A loss and the optimizer that minimises it: the tutorial's `minimization_op`.
///
/// ```
/// use ferroflow_core::graph::*;
/// use ferroflow_core::GradientDescent;
/// use ferroflow_core::matrix::from_rows;
/// // Minimise (w − 3)²: w = 0 moves towards 3.
/// let w = Variable::new(from_rows([[0.0f64]]));
/// let three = Constant::new(from_rows([[3.0]]));
/// let error = &w + negative(three);
/// let loss = reduce_sum(multiply(&error, &error));
/// let mut minimization = GradientDescent::new(0.1).minimize(&loss);
/// for _ in 0..100 {
///     minimization.step(&());
/// }
/// assert!((w.value()[0] - 3.0).abs() < 1e-6);
/// ```
#[derive(Debug)]
pub struct Minimization<'l, T, O, L> {
    optimizer: O,
    loss: &'l L,
    element: PhantomData<T>,
}

impl<T: Element, L: Node<T, 1, 1>, O: OptimizerFor<T, L::Variables>> Minimization<'_, T, O, L> {
    /// One step: a forward and a backward pass on `feed` with the variables' current
    /// values, then one optimizer update of every variable the loss depends on. Returns
    /// the loss before the update (the value the gradients belong to).
    // The checks of the feed on the line of the name, as `Session::run` has them.
    #[rustfmt::skip]
    pub fn step<F: Feed>(&mut self, feed: &F) -> T where F::Shape: FeedsAt<0, Read<L, T, 1, 1, 0>> + FeedsAt<1, Read<L, T, 1, 1, 1>> + FeedsAt<2, Read<L, T, 1, 1, 2>> + FeedsAt<3, Read<L, T, 1, 1, 3>> + FeedsAt<4, Read<L, T, 1, 1, 4>> + FeedsAt<5, Read<L, T, 1, 1, 5>>, L: Evaluate<Checked<F, L, T, 1, 1>, T, 1, 1> {
        let loss = compute_gradients(self.loss, feed);
        apply_gradients(self.loss, &mut self.optimizer);
        loss
    }

    /// The optimizer (to read or change its learning rate).
    pub fn optimizer(&mut self) -> &mut O {
        &mut self.optimizer
    }

    /// The loss being minimised.
    pub fn loss(&self) -> &L {
        self.loss
    }
}
