//! `share`: a handle to a node that several consumers read, whose type does not repeat the
//! node's.
//!
//! A graph's type nests its nodes' types, and a node read twice by reference appears twice
//! in its consumers' type. A stack of blocks that each read their input twice then has a
//! type whose size doubles with each block, and rustc's time to check it grows as fast:
//! measured on this machine, 12 such blocks take minutes to compile. A [`Shared`] handle
//! names only the node's shape and what its placeholders read, so the stack's type grows by
//! one block's worth per block. Evaluation is unchanged: the node is computed once per pass
//! (see [`Memo`](super::Memo)), through one dynamic call.

use super::feed::{AnyFeed, AsAnyFeed};
use super::node::{Reads, by_reference};
use super::{Evaluate, Node, Pass, VariableVisitor};
use crate::optim::PerParameter;
use crate::{Element, Matrix};
use core::fmt;
use core::marker::PhantomData;

/// A node behind a handle: an `R × C` matrix of `T` whose placeholders read `P`, built by
/// [`share`]. Copy it into every consumer.
///
/// The node behind it reads the feed through [`AnyFeed`](super::feed::AnyFeed), trusting
/// that the feed holds what `P` says: the entry points ([`Session::run`](super::Session::run),
/// [`compute_gradients`](super::compute_gradients), a [`Minimization`](super::Minimization)
/// step) check that at compile time. Calling [`Evaluate::forward`] yourself with a feed
/// that misses one of its placeholders panics.
///
/// Its [`Variables`](Node::Variables) are hidden ([`HiddenVariables`]): walks over the
/// graph's variables reach them (gradient descent updates them), but a layout per variable
/// use cannot place them, so an optimizer with state (momentum, Adam) refuses a graph that
/// holds a handle (even one to a node without variables) when it is built:
///
/// ```compile_fail
/// use ferroflow_core::graph::*;
/// use ferroflow_core::{Adam, matrix::from_rows};
/// let w = Variable::new(from_rows([[0.5f64]]));
/// let h = matmul(&w, &w);
/// let h = share(&h);
/// let loss = reduce_sum(h + h);
/// // error: an optimizer with state (momentum, Adam) cannot train this graph: …
/// let mut minimization = Adam::new(0.1).minimize(&loss);
/// minimization.step(&());
/// ```
pub struct Shared<'a, T: Element, const R: usize, const C: usize, P> {
    node: &'a dyn Erased<T, R, C>,
    placeholders: PhantomData<fn() -> P>,
}

/// `node` behind a [`Shared`] handle, for a node read by several consumers in a deep graph.
///
/// ```
/// use ferroflow_core::graph::*;
/// use ferroflow_core::matrix::{from_rows, row};
/// // Two residual blocks h + sigmoid(h W + b), each reading its input twice.
/// let x = Placeholder::<f64, 1, 2, 0>::new();
/// let (w1, b1) = (Variable::new(from_rows([[0.5, 0.0], [0.0, 0.5]])), Bias::new(row([0.0, 0.0])));
/// let (w2, b2) = (Variable::new(from_rows([[0.0, 1.0], [1.0, 0.0]])), Bias::new(row([0.0, 0.0])));
/// let h0 = share(&x);
/// let block1 = h0 + sigmoid(matmul(h0, &w1) + &b1);
/// let h1 = share(&block1);
/// let block2 = h1 + sigmoid(matmul(h1, &w2) + &b2);
/// let out = Session.run(&block2, &from_rows([[0.0, 0.0]]));
/// // Block 1 adds σ(0) = ½ to each input; block 2 adds σ(½) = 0.622…
/// assert!((out[0] - (0.5 + 1.0 / (1.0 + (-0.5f64).exp()))).abs() < 1e-12);
/// ```
pub fn share<N, T: Element, const R: usize, const C: usize>(
    node: &N,
) -> Shared<'_, T, R, C, N::Placeholders>
where
    N: Node<T, R, C> + for<'f> Evaluate<AnyFeed<'f>, T, R, C>,
{
    Shared { node, placeholders: PhantomData }
}

/// What a [`Shared`] handle calls: a node's passes with its types out of sight.
trait Erased<T: Element, const R: usize, const C: usize> {
    fn forward(&self, feed: &AnyFeed<'_>, pass: Pass) -> Matrix<T, R, C>;
    fn backward(&self, grad: &Matrix<T, R, C>, pass: Pass);
    fn visit_variables(&self, visitor: &mut dyn VariableVisitor<T>, pass: Pass);
}

impl<N, T: Element, const R: usize, const C: usize> Erased<T, R, C> for N
where
    N: Node<T, R, C> + for<'f> Evaluate<AnyFeed<'f>, T, R, C>,
{
    fn forward(&self, feed: &AnyFeed<'_>, pass: Pass) -> Matrix<T, R, C> {
        Evaluate::forward(self, feed, pass)
    }

    fn backward(&self, grad: &Matrix<T, R, C>, pass: Pass) {
        Node::backward(self, grad, pass)
    }

    fn visit_variables(&self, visitor: &mut dyn VariableVisitor<T>, pass: Pass) {
        Node::visit_variables(self, visitor, pass)
    }
}

impl<T: Element, const R: usize, const C: usize, P> Clone for Shared<'_, T, R, C, P> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Element, const R: usize, const C: usize, P> Copy for Shared<'_, T, R, C, P> {}

impl<T: Element, const R: usize, const C: usize, P> fmt::Debug for Shared<'_, T, R, C, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Shared<{}×{}>", R, C)
    }
}

impl<T: Element, const R: usize, const C: usize, P: Reads> Node<T, R, C>
    for Shared<'_, T, R, C, P>
{
    type Variables = HiddenVariables;
    type Placeholders = P;

    #[inline]
    fn backward(&self, grad: &Matrix<T, R, C>, pass: Pass) {
        self.node.backward(grad, pass)
    }

    #[inline]
    fn visit_variables(&self, visitor: &mut dyn VariableVisitor<T>, pass: Pass) {
        self.node.visit_variables(visitor, pass)
    }
}

impl<F: AsAnyFeed, T: Element, const R: usize, const C: usize, P: Reads> Evaluate<F, T, R, C>
    for Shared<'_, T, R, C, P>
{
    #[inline]
    fn forward(&self, feed: &F, pass: Pass) -> Matrix<T, R, C> {
        self.node.forward(&feed.as_any_feed(), pass)
    }
}

by_reference!(['s, T: Element, const R: usize, const C: usize, P: Reads]
    Shared<'s, T, R, C, P> => Node<T, R, C>);

/// The [`Variables`](Node::Variables) of a [`Shared`] handle: none in the layout, and
/// [`HIDDEN`](PerParameter::HIDDEN), so that an optimizer with state refuses the graph.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HiddenVariables;

impl<T: Element> PerParameter<T> for HiddenVariables {
    const LEN: usize = 0;
    const HIDDEN: bool = true;

    fn zeros() -> Self {
        HiddenVariables
    }

    fn run_mut(&mut self, _offset: usize, _len: usize) -> Option<&mut [T]> {
        None
    }

    fn for_each_tensor(&self, _f: &mut impl FnMut(&[T])) {}

    fn for_each_tensor_mut(&mut self, _f: &mut impl FnMut(&mut [T])) {}
}

#[cfg(test)]
mod tests {
    use crate::graph::testing::assert_graph_gradient;
    use crate::graph::*;
    use crate::testing::*;

    #[test]
    fn gradients_through_a_handle_match_finite_differences() {
        for seed in 0..CASES {
            let mut rng = rng(seed);
            let a = Variable::new(uniform::<3, 4>(&mut rng, -2.0, 2.0));
            let w = Variable::new(uniform::<4, 4>(&mut rng, -1.0, 1.0));
            let c = Constant::new(uniform::<3, 4>(&mut rng, -1.0, 1.0));
            let h = tanh(matmul(&a, &w));
            let shared = share(&h);
            let block = shared + sigmoid(matmul(shared, &w));
            let loss = reduce_sum(multiply(block, c));
            assert_graph_gradient("shared a", &loss, &a);
            assert_graph_gradient("shared w", &loss, &w);
        }
    }

    #[test]
    fn a_handle_reads_the_feed_of_the_graph_it_is_in() {
        let mut rng = rng(7);
        let x = Placeholder::<f64, 3, 2, 0>::new();
        let c = Placeholder::<f64, 3, 4, 1>::new();
        let w = Variable::new(uniform::<2, 4>(&mut rng, -1.0, 1.0));
        let hidden = sigmoid(matmul(x, &w));
        let shared = share(&hidden);
        let through_handle = reduce_sum(multiply(shared + shared, c));
        let by_reference = reduce_sum(multiply(&hidden + &hidden, c));
        let feed = (uniform::<3, 2>(&mut rng, -1.0, 1.0), uniform::<3, 4>(&mut rng, -1.0, 1.0));
        assert_eq!(Session.run(&through_handle, &feed), Session.run(&by_reference, &feed));
        compute_gradients(&through_handle, &feed);
        let via_handle = w.gradient();
        compute_gradients(&by_reference, &feed);
        assert_eq!(via_handle, w.gradient());
    }
}
