//! The node traits: what every placeholder, variable, constant and operation of a graph is.
//!
//! A graph is a Rust value built from nested node types, so its shape lives in its type.
//! Evaluating it is a recursive call that returns the node's value; an operation node
//! keeps its value and what its derivative needs in a [`Memo`](super::Memo), so a node read
//! by several consumers is computed once per [`Pass`] and its backward pass runs once, on
//! the sum of their gradients.

use super::Pass;
use super::feed::Position;
use crate::optim::PerParameter;
use crate::{Element, Matrix, Optimizer};

/// A node of a computational graph whose value is an `R × C` matrix of `T`.
///
/// This trait holds what does not depend on the feed: the backward pass and the list of
/// variables. Running a node needs [`Evaluate`] as well, which knows which feeds can supply
/// its placeholders.
///
/// Every node type fixes its shape in its own type (a composite node carries its output's
/// element type and dimensions as parameters), so the compiler reads a node's shape off
/// its type and checks it where two nodes meet, rather than guessing it from a consumer.
///
/// A node shared by several consumers is passed to each by reference (`&node`). Each
/// consumer asks it for its value, which it computes once per pass, and sends its own
/// gradient back; the node adds them up and passes the sum on once, so the variables below
/// receive the sum over every path, which is what the chain rule asks for, at the cost of
/// one evaluation.
///
/// A node type of your own implements `Node` and [`Evaluate`] for itself and for
/// references to it, with a header that fixes its shape, and says what is below it: its
/// [`Variables`](Node::Variables) and [`Placeholders`](Node::Placeholders) are its
/// operands', paired for two operands ([`MergeReads`](super::feed::MergeReads) for the
/// placeholders). An operation keeps a [`Memo`](super::Memo) and asks it for its value
/// ([`Memo::value`](super::Memo::value)), its gradient ([`Memo::receive`](super::Memo::receive))
/// and whether to walk its variables ([`Memo::visit`](super::Memo::visit)); a node that
/// only forwards to another (`tests/graph_gradients.rs` wraps ferroflow's nodes in enums
/// that choose an operation at run time) needs none.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a graph node holding a {R}×{C} matrix of `{T}`",
    label = "expected a graph node holding a {R}×{C} matrix of `{T}`",
    note = "graph nodes are placeholders, variables, biases, constants and the operations built \
            from them; where two nodes meet their element types and shapes must agree"
)]
pub trait Node<T: Element, const R: usize, const C: usize> {
    /// One value per scalar of every variable use below this node, in the order of
    /// [`visit_variables`](Node::visit_variables): the shape of an optimizer's state for
    /// the graph (a variable used twice has two places; the optimizer uses the first). A
    /// leaf with no variable has `()`, a variable its own matrix, an operation the pair of
    /// its operands'.
    ///
    /// A type cannot tell two uses of one node apart from two nodes, so a node read twice
    /// counts twice here: the layout (and the state of an optimizer with state) doubles with
    /// each level of a stack of blocks that each read their input twice. Evaluation does not
    /// (see [`Memo`](super::Memo)), and [`GradientDescent`](crate::GradientDescent) keeps no
    /// state; for deep residual stacks trained with momentum or Adam, describe the network
    /// with `network!`, whose state is one value per parameter.
    type Variables: PerParameter<T>;

    /// What the placeholders below this node read: for each of the feed's six positions,
    /// a [`MatrixOf<T, R, C>`](super::shape::MatrixOf) or [`Unread`](super::feed::Unread).
    /// The entry points that take a feed check it against this (see [`feed`](super::feed)).
    type Placeholders: Reads;

    /// The backward pass of `pass`: `grad` is one consumer's share of the gradient of a
    /// scalar loss with respect to this node's value in `pass`'s forward pass. Called once
    /// for each time a consumer asked for the value in that pass, before any other pass
    /// evaluates the node (an operation panics otherwise); once the shares are all in, the
    /// node sends each input its gradient, and a variable adds what reaches it to its
    /// accumulated gradient.
    ///
    /// A gradient that would reach no variable is neither computed nor sent: ferroflow's
    /// operations do not call the backward pass of an operand without variables below it
    /// (its [`Variables`](Node::Variables) have no values and hide none), such as a
    /// placeholder, a constant or an operation on them. Every consumer of a node sees the
    /// same `Variables`, so all of them skip it, or none.
    fn backward(&self, grad: &Matrix<T, R, C>, pass: Pass);

    /// Calls `visitor` with every variable this node depends on, in a fixed order: a
    /// variable read directly in two places is visited twice, and the variables below a
    /// node that `pass` has walked already are skipped ([`VariableVisitor::skip`]).
    fn visit_variables(&self, visitor: &mut dyn VariableVisitor<T>, pass: Pass);
}

/// A node that can be evaluated with a feed of type `F`: every placeholder below it finds
/// its value in `F`.
///
/// A feed is a tuple whose element `i` is the value of the placeholder at position `i` (a
/// lone matrix feeds position 0; `()` feeds a graph without placeholders). A placeholder
/// the feed does not supply, or supplies with the wrong shape, is a compile error.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be evaluated to a {R}×{C} matrix of `{T}` with a feed of type `{F}`",
    label = "this graph cannot be run with that feed",
    note = "the feed is a tuple whose element i feeds the placeholder at position i"
)]
pub trait Evaluate<F, T: Element, const R: usize, const C: usize>: Node<T, R, C> {
    /// The forward pass: the node's value for this feed in `pass`. A node read several times
    /// in one pass computes it the first time.
    fn forward(&self, feed: &F, pass: Pass) -> Matrix<T, R, C>;

    /// [`forward`](Evaluate::forward), with the value lent to `then` where it lies (in the
    /// node's memo, the feed, the variable) rather than copied out: what ferroflow's
    /// operations ask of their operands. The default lends a copy of `forward`'s value.
    /// (`Self: Sized` keeps `dyn Evaluate` possible: a trait object has `forward` alone.)
    #[inline]
    fn forward_then<X>(&self, feed: &F, pass: Pass, then: impl FnOnce(&Matrix<T, R, C>) -> X) -> X
    where
        Self: Sized,
    {
        then(&self.forward(feed, pass))
    }
}

/// A [`Node::Placeholders`] tuple: an entry at each of the feed's six positions.
pub trait Reads:
    Position<0> + Position<1> + Position<2> + Position<3> + Position<4> + Position<5>
{
}

impl<P: Position<0> + Position<1> + Position<2> + Position<3> + Position<4> + Position<5>> Reads
    for P
{
}

/// Something that wants to see every variable of a graph: zeroing gradients, applying an
/// optimizer, counting parameters. Visitors are passed as `&mut dyn VariableVisitor<T>`,
/// so a node can pass one through a [`Shared`](super::Shared) handle, whose type hides what
/// is below it.
pub trait VariableVisitor<T: Element> {
    /// Called for each variable, in the graph's fixed order.
    fn visit(&mut self, variable: &dyn Parameter<T>);

    /// Called instead of walking again below a node the walk has seen: `len` variable
    /// values (the node's [`Variables::LEN`](PerParameter::LEN)) go by unvisited.
    fn skip(&mut self, len: usize) {
        let _ = len;
    }
}

/// A variable, whatever its shape, as a [`VariableVisitor`] sees it.
pub trait Parameter<T: Element> {
    /// Its number of values.
    fn len(&self) -> usize;

    /// Whether it has no values (never, for a variable: a matrix has at least one).
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Sets its accumulated gradient to zero, before a backward pass adds to it.
    fn zero_gradient(&self);

    /// Hands its gradient to `optimizer` as the tensor at flat position `offset`, if the
    /// last backward pass reached it and no walk has applied that gradient yet; returns
    /// whether it did.
    fn apply_gradient(&self, optimizer: &mut dyn Optimizer<T>, offset: usize) -> bool;
}

/// Whether a gradient sent to a node whose [`Variables`](Node::Variables) are `V` can reach
/// a variable: not when `V` has no values and hides none (a placeholder, a constant, an
/// operation on them), so that an operation skips computing that operand's gradient. A
/// [`Shared`](super::Shared) handle hides what is below it, so it always gets its gradient.
#[inline(always)]
pub(crate) const fn reaches_variables<T: Element, V: PerParameter<T>>() -> bool {
    V::LEN > 0 || V::HIDDEN
}

/// Implements [`Node`] and [`Evaluate`] for references to a node type, so one node can
/// feed several consumers. A blanket impl over `&N` would do the same, but its nested
/// obligation would let rustc infer a node's shape from its consumer before reading it off
/// the node; then a shape mismatch is blamed on a leaf deep inside the graph instead of on
/// the call that joined the two nodes. Each node type's own header fixes its shape.
macro_rules! by_reference {
    ([$($generics:tt)*] $node:ty => Node<$t:ty, $r:tt, $c:tt>) => {
        impl<'a, $($generics)*> $crate::graph::Node<$t, $r, $c> for &'a $node
        where
            $node: $crate::graph::Node<$t, $r, $c>,
        {
            type Variables = <$node as $crate::graph::Node<$t, $r, $c>>::Variables;
            type Placeholders = <$node as $crate::graph::Node<$t, $r, $c>>::Placeholders;

            #[inline]
            fn backward(&self, grad: &$crate::Matrix<$t, $r, $c>, pass: $crate::graph::Pass) {
                <$node as $crate::graph::Node<$t, $r, $c>>::backward(*self, grad, pass)
            }

            #[inline]
            fn visit_variables(
                &self,
                visitor: &mut dyn $crate::graph::VariableVisitor<$t>,
                pass: $crate::graph::Pass,
            ) {
                <$node as $crate::graph::Node<$t, $r, $c>>::visit_variables(*self, visitor, pass)
            }
        }

        impl<'a, $($generics)*, Feed> $crate::graph::Evaluate<Feed, $t, $r, $c> for &'a $node
        where
            $node: $crate::graph::Evaluate<Feed, $t, $r, $c>,
        {
            #[inline]
            fn forward(&self, feed: &Feed, pass: $crate::graph::Pass) -> $crate::Matrix<$t, $r, $c> {
                <$node as $crate::graph::Evaluate<Feed, $t, $r, $c>>::forward(*self, feed, pass)
            }

            #[inline]
            fn forward_then<X>(
                &self,
                feed: &Feed,
                pass: $crate::graph::Pass,
                then: impl FnOnce(&$crate::Matrix<$t, $r, $c>) -> X,
            ) -> X {
                <$node as $crate::graph::Evaluate<Feed, $t, $r, $c>>::forward_then(*self, feed, pass, then)
            }
        }
    };
}
pub(crate) use by_reference;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::Constant;
    use crate::graph::feed::ReadsNothing;

    /// A node behind `dyn Evaluate` still evaluates: `forward_then`, generic over its
    /// closure, is left out of the trait object.
    #[test]
    fn evaluate_stays_usable_as_a_trait_object() {
        let constant = Constant::new(Matrix::<f64, 1, 1>::new(2.5));
        let node: &dyn Evaluate<(), f64, 1, 1, Variables = (), Placeholders = ReadsNothing> =
            &constant;
        assert_eq!(node.forward(&(), Pass::new())[0], 2.5);
    }
}
