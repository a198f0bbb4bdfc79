//! Placeholders, the inputs of a graph, and feeds, the values they take when it runs.
//!
//! The tutorial feeds a graph with a dictionary from placeholders to values. Here a feed is
//! a tuple and each placeholder names its position in it, so whether a feed supplies every
//! placeholder of a graph, with the right shape, is checked by the compiler.

use super::node::by_reference;
use super::{Evaluate, Node, VariableVisitor};
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
{
    type Trace = ();

    #[inline]
    fn backward(&self, _trace: &(), _grad: &Matrix<T, R, C>) {}

    #[inline]
    fn visit_variables(&self, _visitor: &mut impl VariableVisitor<T>) {}
}

impl<F: Feeds<T, R, C, SLOT>, T: Element, const R: usize, const C: usize, const SLOT: usize>
    Evaluate<F, T, R, C> for Placeholder<T, R, C, SLOT>
{
    #[inline]
    fn forward(&self, feed: &F) -> (Matrix<T, R, C>, ()) {
        (*feed.value(), ())
    }
}

by_reference!([T: Element, const R: usize, const C: usize, const SLOT: usize]
    Placeholder<T, R, C, SLOT> => Node<T, R, C>);

/// A feed that supplies an `R × C` matrix of `T` for the placeholder at position `SLOT`.
///
/// Implemented by a lone matrix (position 0) and by tuples of up to six matrices
/// (position `i` is element `i`).
#[diagnostic::on_unimplemented(
    message = "the feed has no {R}×{C} matrix of `{T}` at position {SLOT} for placeholder {SLOT}",
    label = "placeholder {SLOT} needs a `Matrix<{T}, {R}, {C}>` at position {SLOT} of the feed",
    note = "a feed is a tuple whose element i feeds the placeholder at position i; a lone matrix feeds position 0"
)]
pub trait Feeds<T: Element, const R: usize, const C: usize, const SLOT: usize> {
    /// The value of the placeholder at position `SLOT`.
    fn value(&self) -> &Matrix<T, R, C>;
}

impl<T: Element, const R: usize, const C: usize> Feeds<T, R, C, 0> for Matrix<T, R, C> {
    #[inline]
    fn value(&self) -> &Matrix<T, R, C> {
        self
    }
}

/// Implements `Feeds` for the tuple `($($name,)*)` at each position, where the element at
/// that position is the matrix.
macro_rules! tuple_feeds {
    ($($slot:tt: ($($before:ident),*) _ ($($after:ident),*);)*) => {$(
        impl<T: Element, const R: usize, const C: usize, $($before,)* $($after,)*>
            Feeds<T, R, C, $slot> for ($($before,)* Matrix<T, R, C>, $($after,)*)
        {
            #[inline]
            fn value(&self) -> &Matrix<T, R, C> {
                &self.$slot
            }
        }
    )*};
}

tuple_feeds! {
    0: () _ ();
    0: () _ (B1);
    1: (A0) _ ();
    0: () _ (B1, B2);
    1: (A0) _ (B2);
    2: (A0, A1) _ ();
    0: () _ (B1, B2, B3);
    1: (A0) _ (B2, B3);
    2: (A0, A1) _ (B3);
    3: (A0, A1, A2) _ ();
    0: () _ (B1, B2, B3, B4);
    1: (A0) _ (B2, B3, B4);
    2: (A0, A1) _ (B3, B4);
    3: (A0, A1, A2) _ (B4);
    4: (A0, A1, A2, A3) _ ();
    0: () _ (B1, B2, B3, B4, B5);
    1: (A0) _ (B2, B3, B4, B5);
    2: (A0, A1) _ (B3, B4, B5);
    3: (A0, A1, A2) _ (B4, B5);
    4: (A0, A1, A2, A3) _ (B5);
    5: (A0, A1, A2, A3, A4) _ ();
}

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
