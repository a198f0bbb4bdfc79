//! Constants: fixed values of a graph, neither fed nor trained.

use super::feed::ReadsNothing;
use super::node::by_reference;
use super::{Evaluate, Node, Pass, VariableVisitor};
use crate::{Element, Matrix};

/// A fixed `R × C` matrix of `T`: the graph reads it and never changes it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Constant<T: Element, const R: usize, const C: usize> {
    value: Matrix<T, R, C>,
}

impl<T: Element, const R: usize, const C: usize> Constant<T, R, C> {
    /// A constant with the given value.
    pub const fn new(value: Matrix<T, R, C>) -> Self {
        Self { value }
    }

    /// The value.
    pub const fn value(&self) -> &Matrix<T, R, C> {
        &self.value
    }
}

impl<T: Element, const R: usize, const C: usize> Node<T, R, C> for Constant<T, R, C> {
    type Variables = ();
    type Placeholders = ReadsNothing;

    #[inline]
    fn backward(&self, _grad: &Matrix<T, R, C>, _pass: Pass) {}

    #[inline]
    fn visit_variables(&self, _visitor: &mut dyn VariableVisitor<T>, _pass: Pass) {}
}

impl<F, T: Element, const R: usize, const C: usize> Evaluate<F, T, R, C> for Constant<T, R, C> {
    #[inline]
    fn forward(&self, _feed: &F, _pass: Pass) -> Matrix<T, R, C> {
        self.value
    }

    #[inline]
    fn forward_then<X>(
        &self,
        _feed: &F,
        _pass: Pass,
        then: impl FnOnce(&Matrix<T, R, C>) -> X,
    ) -> X {
        then(&self.value)
    }
}

by_reference!([T: Element, const R: usize, const C: usize] Constant<T, R, C> => Node<T, R, C>);
