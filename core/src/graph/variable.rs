//! Variables, the trainable values of a graph, and biases, variable rows broadcast over a
//! batch.
//!
//! A variable owns its value and the gradient accumulated for it, each in a
//! [`RefCell`](core::cell::RefCell). Graphs hold `&Variable`, so the same variable can
//! appear in several places and in several graphs, and an optimizer can update it through
//! the graph while the graph still borrows it, in place, with no heap and no `unsafe`. No
//! borrow outlives the call that takes it.

use super::feed::ReadsNothing;
use super::node::by_reference;
use super::{Evaluate, Node, Parameter, Pass, VariableVisitor};
use crate::{Element, Matrix, RowVector};
use core::cell::{Cell, RefCell};

/// A trainable `R × C` matrix of `T`, the tutorial's `Variable`.
///
/// ```
/// use ferroflow_core::graph::*;
/// use ferroflow_core::matrix::from_rows;
/// let w = Variable::new(from_rows([[1.0, -1.0], [1.0, -1.0]]));
/// let loss = reduce_sum(multiply(&w, &w));
/// assert_eq!(compute_gradients(&loss, &()), 4.0);
/// assert_eq!(w.gradient(), from_rows([[2.0, -2.0], [2.0, -2.0]]));
/// ```
#[derive(Clone, Debug)]
pub struct Variable<T: Element, const R: usize, const C: usize> {
    value: RefCell<Matrix<T, R, C>>,
    gradient: RefCell<Matrix<T, R, C>>,
    // Set by the backward pass, cleared when the gradient is applied: an optimizer step
    // updates a variable that a graph uses twice only once.
    pending: Cell<bool>,
    // Set when the gradient is zeroed, cleared by the first contribution after that, which
    // then writes the gradient rather than adding it to zeros.
    zeroed: Cell<bool>,
}

impl<T: Element, const R: usize, const C: usize> Variable<T, R, C> {
    /// A variable with the given initial value and a zero gradient.
    pub const fn new(value: Matrix<T, R, C>) -> Self {
        Self {
            value: RefCell::new(value),
            gradient: RefCell::new(crate::matrix::zeros()),
            pending: Cell::new(false),
            zeroed: Cell::new(true),
        }
    }

    /// The current value.
    #[inline]
    pub fn value(&self) -> Matrix<T, R, C> {
        *self.value.borrow()
    }

    /// Replaces the value (to load weights, or to probe a loss by finite differences).
    #[inline]
    pub fn set(&self, value: Matrix<T, R, C>) {
        *self.value.borrow_mut() = value;
    }

    /// The gradient of the loss with respect to this variable, as computed by the last
    /// [`compute_gradients`](super::compute_gradients) of a loss that uses it: the sum over
    /// every path from the variable to the loss.
    #[inline]
    pub fn gradient(&self) -> Matrix<T, R, C> {
        *self.gradient.borrow()
    }

    /// Adds one path's contribution to the gradient, in place.
    #[inline]
    pub(crate) fn accumulate(&self, grad: &Matrix<T, R, C>) {
        let mut gradient = self.gradient.borrow_mut();
        let gradient = gradient.as_mut_slice().iter_mut();
        self.pending.set(true);
        if !self.zeroed.replace(false) {
            for (g, &share) in gradient.zip(grad.as_slice()) {
                *g += share;
            }
        } else {
            // The first contribution since the gradient was zeroed: `0 + share`, written
            // without reading the zeros (the same bits, −0 included).
            for (g, &share) in gradient.zip(grad.as_slice()) {
                *g = share + T::ZERO;
            }
        }
    }
}

impl<T: Element, const R: usize, const C: usize> Parameter<T> for Variable<T, R, C> {
    fn len(&self) -> usize {
        R * C
    }

    fn zero_gradient(&self) {
        *self.gradient.borrow_mut() = crate::matrix::zeros();
        self.pending.set(false);
        self.zeroed.set(true);
    }

    fn apply_gradient(&self, optimizer: &mut dyn crate::Optimizer<T>, offset: usize) -> bool {
        if !self.pending.replace(false) {
            return false;
        }
        let gradient = self.gradient.borrow();
        optimizer.update(offset, self.value.borrow_mut().as_mut_slice(), gradient.as_slice());
        true
    }
}

impl<T: Element, const R: usize, const C: usize> Node<T, R, C> for Variable<T, R, C> {
    type Variables = Matrix<T, R, C>;
    type Placeholders = ReadsNothing;

    #[inline]
    fn backward(&self, grad: &Matrix<T, R, C>, _pass: Pass) {
        self.accumulate(grad)
    }

    #[inline]
    fn visit_variables(&self, visitor: &mut dyn VariableVisitor<T>, _pass: Pass) {
        visitor.visit(self)
    }
}

impl<F, T: Element, const R: usize, const C: usize> Evaluate<F, T, R, C> for Variable<T, R, C> {
    #[inline]
    fn forward(&self, _feed: &F, _pass: Pass) -> Matrix<T, R, C> {
        self.value()
    }

    #[inline]
    fn forward_then<X>(
        &self,
        _feed: &F,
        _pass: Pass,
        then: impl FnOnce(&Matrix<T, R, C>) -> X,
    ) -> X {
        then(&self.value.borrow())
    }
}

by_reference!([T: Element, const R: usize, const C: usize] Variable<T, R, C> => Node<T, R, C>);

/// A trainable row of `C` values added to every sample (row) of a batch: the tutorial's
/// bias `b = Variable([0, 0])`, which numpy broadcasts over the batch.
///
/// A bias is a node of every batch size: as a term of `matmul(x, w) + &b` it takes the
/// number of rows of the other term. Its gradient is the sum over the batch of the
/// gradients of its copies.
///
/// ```
/// use ferroflow_core::graph::*;
/// use ferroflow_core::matrix::{from_rows, row};
/// let x = Placeholder::<f64, 3, 2, 0>::new();
/// let b = Bias::new(row([10.0, 20.0]));
/// let y = x + &b;
/// let points = from_rows([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]);
/// assert_eq!(Session.run(&y, &points), from_rows([[11.0, 22.0], [13.0, 24.0], [15.0, 26.0]]));
/// ```
#[derive(Clone, Debug)]
pub struct Bias<T: Element, const C: usize> {
    variable: Variable<T, 1, C>,
}

impl<T: Element, const C: usize> Bias<T, C> {
    /// A bias with the given initial value.
    pub const fn new(value: RowVector<T, C>) -> Self {
        Self { variable: Variable::new(value) }
    }

    /// The current value.
    #[inline]
    pub fn value(&self) -> RowVector<T, C> {
        self.variable.value()
    }

    /// Replaces the value.
    #[inline]
    pub fn set(&self, value: RowVector<T, C>) {
        self.variable.set(value)
    }

    /// The gradient of the loss with respect to the bias (summed over the batch).
    #[inline]
    pub fn gradient(&self) -> RowVector<T, C> {
        self.variable.gradient()
    }

    /// The one-row variable behind the bias.
    pub fn as_variable(&self) -> &Variable<T, 1, C> {
        &self.variable
    }
}

impl<T: Element, const B: usize, const C: usize> Node<T, B, C> for Bias<T, C> {
    type Variables = RowVector<T, C>;
    type Placeholders = ReadsNothing;

    #[inline]
    fn backward(&self, grad: &Matrix<T, B, C>, _pass: Pass) {
        // Every sample used the same row: its gradient is the sum over the batch.
        self.variable.accumulate(&crate::ops::reduce_sum_axis0(grad))
    }

    #[inline]
    fn visit_variables(&self, visitor: &mut dyn VariableVisitor<T>, _pass: Pass) {
        visitor.visit(&self.variable)
    }
}

impl<F, T: Element, const B: usize, const C: usize> Evaluate<F, T, B, C> for Bias<T, C> {
    #[inline]
    fn forward(&self, _feed: &F, _pass: Pass) -> Matrix<T, B, C> {
        crate::ops::add_bias(&crate::matrix::zeros(), &self.value())
    }
}

impl<T: Element, const C: usize> super::shape::Operand for Bias<T, C> {
    type Shape = super::shape::RowOf<T, C>;
}

impl<T: Element, const C: usize> super::shape::Operand for &Bias<T, C> {
    type Shape = super::shape::RowOf<T, C>;
}

// Written out rather than through `by_reference!`, so that an error message which lists
// the shapes a bias fits shows this header rather than the macro's.
impl<T: Element, const B: usize, const C: usize> Node<T, B, C> for &Bias<T, C> {
    type Variables = RowVector<T, C>;
    type Placeholders = ReadsNothing;

    #[inline]
    fn backward(&self, grad: &Matrix<T, B, C>, pass: Pass) {
        Node::<T, B, C>::backward(*self, grad, pass)
    }

    #[inline]
    fn visit_variables(&self, visitor: &mut dyn VariableVisitor<T>, pass: Pass) {
        Node::<T, B, C>::visit_variables(*self, visitor, pass)
    }
}

impl<F, T: Element, const B: usize, const C: usize> Evaluate<F, T, B, C> for &Bias<T, C> {
    #[inline]
    fn forward(&self, feed: &F, pass: Pass) -> Matrix<T, B, C> {
        Evaluate::<F, T, B, C>::forward(*self, feed, pass)
    }

    #[inline]
    fn forward_then<X>(&self, feed: &F, pass: Pass, then: impl FnOnce(&Matrix<T, B, C>) -> X) -> X {
        Evaluate::<F, T, B, C>::forward_then(*self, feed, pass, then)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{Session, compute_gradients, reduce_sum};
    use crate::testing::*;

    #[test]
    fn bias_gradient_matches_finite_differences() {
        for seed in 0..CASES {
            let mut rng = rng(seed);
            let b = Bias::new(uniform::<1, 3>(&mut rng, -2.0, 2.0));
            let w = uniform::<4, 3>(&mut rng, -1.0, 1.0);
            let weights = super::super::Constant::new(w);
            let loss = reduce_sum(crate::graph::multiply(&b, &weights));
            compute_gradients(&loss, &());
            let start = b.value();
            assert_gradient("bias", &start, &b.gradient(), |v| {
                b.set(*v);
                Session.run(&loss, &())[0]
            });
        }
    }

    #[test]
    fn gradient_applies_once_however_many_uses() {
        let v = Variable::new(Matrix::<f64, 1, 1>::new(1.0));
        v.accumulate(&Matrix::<f64, 1, 1>::new(2.0));
        v.accumulate(&Matrix::<f64, 1, 1>::new(3.0));
        let mut sgd = crate::GradientDescent::new(0.5);
        assert!(v.apply_gradient(&mut sgd, 0));
        assert!(!v.apply_gradient(&mut sgd, 0));
        assert_eq!(v.value()[0], 1.0 - 0.5 * 5.0);
    }
}
