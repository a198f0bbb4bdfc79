//! The node traits: what every placeholder, variable, constant and operation of a graph is.
//!
//! A graph is a Rust value built from nested node types, so its shape lives in its type.
//! Evaluating it is a recursive call that returns the node's value together with a
//! *trace*: the intermediate values the backward pass needs, itself a nested value whose
//! type follows the graph's. Nothing is stored in the nodes during a forward pass, so one
//! graph can be run on many feeds, and a pass never sees values from an earlier one.

use super::Variable;
use super::feed::Position;
use crate::optim::PerParameter;
use crate::{Element, Matrix};

/// A node of a computational graph whose value is an `R × C` matrix of `T`.
///
/// This trait holds what does not depend on the feed: the trace type, the backward pass
/// and the list of variables. Running a node needs [`Evaluate`] as well, which knows which
/// feeds can supply its placeholders.
///
/// Every node type fixes its shape in its own type (a composite node carries its output's
/// element type and dimensions as parameters), so the compiler reads a node's shape off
/// its type and checks it where two nodes meet, rather than guessing it from a consumer.
///
/// A node shared by several consumers is passed to each by reference (`&node`): each
/// consumer evaluates it again and sends its own gradient back through it, so the variables
/// below receive the sum of the gradients of every path, which is what the chain rule asks
/// for. The price of this design is recomputation: a shared interior node is evaluated once
/// per consumer.
///
/// A node type of your own implements `Node` and [`Evaluate`] for itself and for
/// references to it, with a header that fixes its shape, and says what is below it: its
/// [`Variables`](Node::Variables) and [`Placeholders`](Node::Placeholders) are its
/// operands', paired for two operands ([`MergeReads`](super::feed::MergeReads) for the
/// placeholders). `tests/graph_gradients.rs` wraps ferroflow's nodes in enums that choose an
/// operation at run time this way.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a graph node holding a {R}×{C} matrix of `{T}`",
    label = "expected a graph node holding a {R}×{C} matrix of `{T}`",
    note = "graph nodes are placeholders, variables, biases, constants and the operations built \
            from them; where two nodes meet their element types and shapes must agree"
)]
pub trait Node<T: Element, const R: usize, const C: usize> {
    /// What a forward pass keeps for the backward pass: this node's inputs or output where
    /// its derivative needs them, and the traces of its inputs.
    type Trace;

    /// One value per scalar of every variable use below this node, in the order of
    /// [`visit_variables`](Node::visit_variables): the shape of an optimizer's state for
    /// the graph (a variable used twice has two places; the optimizer uses the first). A
    /// leaf with no variable has `()`, a variable its own matrix, an operation the pair of
    /// its operands'.
    type Variables: PerParameter<T>;

    /// What the placeholders below this node read: for each of the feed's six positions,
    /// a [`MatrixOf<T, R, C>`](super::shape::MatrixOf) or [`Unread`](super::feed::Unread).
    /// The entry points that take a feed check it against this (see [`feed`](super::feed)).
    type Placeholders: Reads;

    /// The backward pass: given `grad`, the gradient of a scalar loss with respect to this
    /// node's value in the forward pass that produced `trace`, sends each input its gradient
    /// and adds the gradients that reach variables to their accumulated gradient.
    fn backward(&self, trace: &Self::Trace, grad: &Matrix<T, R, C>);

    /// Calls `visitor` with every variable this node depends on, in a fixed order, once per
    /// path (a variable used twice is visited twice).
    fn visit_variables(&self, visitor: &mut impl VariableVisitor<T>);
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
    /// The forward pass: the node's value for this feed, and the trace the backward pass
    /// needs.
    fn forward(&self, feed: &F) -> (Matrix<T, R, C>, Self::Trace);
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
/// optimizer, counting parameters.
pub trait VariableVisitor<T: Element> {
    /// Called once for each use of each variable, in the graph's fixed order.
    fn visit<const R: usize, const C: usize>(&mut self, variable: &Variable<T, R, C>);
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
            type Trace = <$node as $crate::graph::Node<$t, $r, $c>>::Trace;
            type Variables = <$node as $crate::graph::Node<$t, $r, $c>>::Variables;
            type Placeholders = <$node as $crate::graph::Node<$t, $r, $c>>::Placeholders;

            #[inline]
            fn backward(&self, trace: &Self::Trace, grad: &$crate::Matrix<$t, $r, $c>) {
                (**self).backward(trace, grad)
            }

            #[inline]
            fn visit_variables(&self, visitor: &mut impl $crate::graph::VariableVisitor<$t>) {
                (**self).visit_variables(visitor)
            }
        }

        impl<'a, Feed, $($generics)*> $crate::graph::Evaluate<Feed, $t, $r, $c> for &'a $node
        where
            $node: $crate::graph::Evaluate<Feed, $t, $r, $c>,
        {
            #[inline]
            fn forward(&self, feed: &Feed) -> ($crate::Matrix<$t, $r, $c>, Self::Trace) {
                (**self).forward(feed)
            }
        }
    };
}
pub(crate) use by_reference;
