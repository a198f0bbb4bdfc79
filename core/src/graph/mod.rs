//! The tutorial's computational graph, typed at compile time: placeholders, variables and
//! operations composed into expressions whose shapes are checked by the compiler, run by a
//! session on a feed, differentiated by backpropagation and minimised by an optimizer.
//!
//! ```
//! use ferroflow_core::graph::*;
//! use ferroflow_core::GradientDescent;
//! use ferroflow_core::matrix::{from_rows, row};
//!
//! // Part II of the tutorial: a softmax perceptron over a batch of 4 points with 2
//! // features and 2 classes. `x` is the feed's position 0, `c` (the labels) position 1.
//! let x = Placeholder::<f64, 4, 2, 0>::new();
//! let c = Placeholder::<f64, 4, 2, 1>::new();
//! let w = Variable::new(from_rows([[1.0, -1.0], [1.0, -1.0]]));
//! let b = Bias::new(row([0.0, 0.0]));
//! let p = softmax(matmul(x, &w) + &b);
//! // Part III: the cross-entropy J = −Σ_i Σ_j c_ij log p_ij.
//! let j = negative(reduce_sum(reduce_sum_axis(multiply(c, log(&p)), Axis::<1>)));
//!
//! let points = from_rows([[2.0, 2.0], [1.0, 3.0], [-2.0, -1.0], [-3.0, -2.0]]);
//! let labels = from_rows([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.0, 1.0]]);
//! let feed = (points, labels);
//! let before = Session.run(&j, &feed)[0];
//!
//! // Part IV: one step of gradient descent.
//! let mut minimization = GradientDescent::new(0.01).minimize(&j);
//! minimization.step(&feed);
//! assert!(Session.run(&j, &feed)[0] < before);
//! ```
//!
//! # How it fits together
//! - Every node implements [`Node<T, R, C>`](Node): its value is an `R × C` matrix of `T`.
//!   Building a node whose inputs do not fit (`matmul` of a 100×2 by a 3×2 node, `add` of
//!   `f32` and `f64`, a sum along axis 2) does not compile, and the error names the
//!   dimensions.
//! - [`Placeholder<T, R, C, SLOT>`](Placeholder) takes its value from position `SLOT` of
//!   the feed, a tuple; [`Evaluate`] says which feeds can run a node, so a feed that misses
//!   a placeholder, or gives it the wrong shape, does not compile either.
//! - [`Variable`] and [`Bias`] own their values in cells; graphs borrow them, so a variable
//!   can be used several times and in several graphs, and optimizers update it in place.
//! - [`Session::run`] evaluates; [`compute_gradients`] runs the forward and backward passes
//!   of a 1 × 1 loss; [`Minimize::minimize`] turns any [`Optimizer`](crate::Optimizer)
//!   into a [`Minimization`] whose [`step`](Minimization::step) does both and updates every
//!   variable once.
//! - Nothing is allocated: what a forward pass keeps for the backward pass lives in the
//!   nodes, so the whole module works in `no_std` without a heap.
//!
//! The operators `+` ([`add`]) and unary `-` ([`negative`]) work on nodes and references
//! to nodes; `*` does not, since numpy and nalgebra disagree on what it means: write
//! [`multiply`] or [`matmul`].
//!
//! # Costs
//! A node used by several consumers is passed to each by reference (`&h`) or through a
//! [`Shared`] handle, and is computed once per run: an operation keeps its value in a
//! [`Memo`], and its backward pass runs once, on the sum of its consumers' gradients. A
//! graph's type nests its nodes' types, so a node read twice by reference appears twice in
//! its consumers' type; for deep graphs of shared nodes (a stack of residual blocks) read
//! them through [`share`], whose handle's type is the node's shape alone, or rustc's time
//! to check the graph doubles with each level.
//!
//! Each operation node holds its value, what its derivative needs (the inputs of `matmul`
//! and `multiply`, say) and its gradient, so a graph over large matrices is a large value;
//! the tutorial's graphs use a few kilobytes. A forward pass copies each variable's value
//! out of its cell, and each node's value to its consumers; the backward pass reads what
//! the forward pass kept in place, computes no gradient for an operand without variables
//! below it (the batch `x` of `matmul(x, w)`), and an optimizer updates each variable in
//! place. `benches/tutorial_graph.rs` measures a training step against the same network
//! built with `network!`; BENCHMARKS.md has the ratio.

mod constant;
pub mod feed;
mod gradients;
mod memo;
mod node;
mod operations;
mod optimizer;
mod placeholder;
mod session;
pub mod shape;
mod shared;
mod variable;

#[cfg(test)]
pub(crate) mod testing;

pub use constant::Constant;
pub use feed::{Feed, Feeds};
pub use gradients::compute_gradients;
pub use memo::{Memo, Pass, Received};
pub use node::{Evaluate, Node, Parameter, Reads, VariableVisitor};
pub use operations::*;
pub use optimizer::{Minimization, Minimize, apply_gradients};
pub use placeholder::Placeholder;
pub use session::Session;
pub use shared::{HiddenVariables, Shared, share};
pub use variable::{Bias, Variable};
