//! Placeholders, the inputs of a graph.
//!
//! The tutorial feeds a graph with a dictionary from placeholders to values. Here a feed is
//! a tuple and each placeholder names its position in it, so whether a feed supplies every
//! placeholder of a graph, with the right shape, is checked by the compiler (see
//! [`feed`](super::feed)).

use super::feed::{Feeds, Place, Slot};
use super::node::by_reference;
use super::shape::MatrixOf;
use super::{Evaluate, Node, Pass, VariableVisitor};
use crate::{Element, Matrix};
use core::marker::PhantomData;

/// An input of the graph: an `R × C` matrix of `T` supplied by the feed each time the graph
/// runs, at position `SLOT` of the feed tuple.
///
/// ```
/// use ferroflow_core::graph::*;
/// use ferroflow_core::matrix::from_rows;
/// // The tutorial's x = placeholder(), fed with a batch of two samples.
/// let x = Placeholder::<f64, 2, 2, 0>::new();
/// let y = negative(x);
/// let points = from_rows([[1.0, 2.0], [3.0, 4.0]]);
/// assert_eq!(Session.run(&y, &points), from_rows([[-1.0, -2.0], [-3.0, -4.0]]));
/// ```
#[derive(Debug)]
pub struct Placeholder<T: Element, const R: usize, const C: usize, const SLOT: usize> {
    element: PhantomData<T>,
}

impl<T: Element, const R: usize, const C: usize, const SLOT: usize> Placeholder<T, R, C, SLOT> {
    /// The placeholder at position `SLOT` of the feed.
    pub const fn new() -> Self {
        Self { element: PhantomData }
    }
}

impl<T: Element, const R: usize, const C: usize, const SLOT: usize> Default
    for Placeholder<T, R, C, SLOT>
{
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Element, const R: usize, const C: usize, const SLOT: usize> Clone
    for Placeholder<T, R, C, SLOT>
{
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Element, const R: usize, const C: usize, const SLOT: usize> Copy
    for Placeholder<T, R, C, SLOT>
{
}

impl<T: Element, const R: usize, const C: usize, const SLOT: usize> Node<T, R, C>
    for Placeholder<T, R, C, SLOT>
where
    Slot<SLOT>: Place<MatrixOf<T, R, C>>,
{
    type Variables = ();
    type Placeholders = <Slot<SLOT> as Place<MatrixOf<T, R, C>>>::Placeholders;

    #[inline]
    fn backward(&self, _grad: &Matrix<T, R, C>, _pass: Pass) {}

    #[inline]
    fn visit_variables(&self, _visitor: &mut dyn VariableVisitor<T>, _pass: Pass) {}
}

impl<F: Feeds<T, R, C, SLOT>, T: Element, const R: usize, const C: usize, const SLOT: usize>
    Evaluate<F, T, R, C> for Placeholder<T, R, C, SLOT>
where
    Slot<SLOT>: Place<MatrixOf<T, R, C>>,
{
    #[inline]
    fn forward(&self, feed: &F, _pass: Pass) -> Matrix<T, R, C> {
        *feed.value()
    }

    #[inline]
    fn forward_then<X>(
        &self,
        feed: &F,
        _pass: Pass,
        then: impl FnOnce(&Matrix<T, R, C>) -> X,
    ) -> X {
        then(feed.value())
    }
}

by_reference!([T: Element, const R: usize, const C: usize, const SLOT: usize]
    Placeholder<T, R, C, SLOT> => Node<T, R, C>);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::Session;
    use crate::matrix::from_rows;

    #[test]
    fn each_placeholder_reads_its_position_of_the_feed() {
        let x = Placeholder::<f64, 1, 2, 0>::new();
        let y = Placeholder::<f64, 2, 1, 1>::new();
        let z = Placeholder::<f64, 1, 1, 2>::new();
        let a: Matrix<f64, 1, 2> = from_rows([[1.0, 2.0]]);
        let b: Matrix<f64, 2, 1> = from_rows([[3.0], [4.0]]);
        let c: Matrix<f64, 1, 1> = from_rows([[5.0]]);
        let feed = (a, b, c);
        assert_eq!(Session.run(&x, &feed), a);
        assert_eq!(Session.run(&y, &feed), b);
        assert_eq!(Session.run(&z, &feed), c);
        assert_eq!(Session.run(&x, &a), a);
        assert_eq!(Session.run(&y, &(c, b, a, a, a, a)), b);
    }
}
