//! The session: runs a graph on a feed, as the tutorial's `Session().run(node, feed_dict)`.

use super::feed::{Checked, Feed, FeedsAt, Read, checked};
use super::{Evaluate, Pass};
use crate::{Element, Matrix};

/// Runs graphs. The tutorial's session walks the graph in topological order and stores each
/// node's output in the node; here a node's value is computed by a recursive call, which
/// stores it in the node for the rest of the run (a node read twice is computed once), so
/// a session holds no state and is a unit value: `Session.run(&node, &feed)`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Session;

impl Session {
    /// The value of `node` when the placeholders take their values from `feed` and the
    /// variables their current values.
    ///
    /// A feed is a tuple whose element `i` feeds the placeholder at position `i`, a lone
    /// matrix for a graph whose only placeholder is at position 0, or `()` for a graph
    /// without placeholders. A feed that misses a placeholder, or supplies one with the
    /// wrong shape or element type, does not compile.
    ///
    /// ```
    /// use ferroflow_core::graph::*;
    /// use ferroflow_core::matrix::from_rows;
    /// // The tutorial's first graph: y = A x + b.
    /// let a = Variable::new(from_rows([[1.0, 0.0], [0.0, -1.0]]));
    /// let b = Variable::new(from_rows([[1.0], [1.0]]));
    /// let x = Placeholder::<f64, 2, 1, 0>::new();
    /// let y = matmul(&a, x) + &b;
    /// assert_eq!(Session.run(&y, &from_rows([[1.0], [2.0]])), from_rows([[2.0], [-1.0]]));
    /// ```
    // The checks of the feed (see `feed`) on the line of the name, unformatted: rustc then
    // quotes that one line when it reports a position the feed misses.
    #[rustfmt::skip]
    #[inline]
    pub fn run<N, F: Feed, T: Element, const R: usize, const C: usize>(&self, node: &N, feed: &F) -> Matrix<T, R, C> where F::Shape: FeedsAt<0, Read<N, T, R, C, 0>> + FeedsAt<1, Read<N, T, R, C, 1>> + FeedsAt<2, Read<N, T, R, C, 2>> + FeedsAt<3, Read<N, T, R, C, 3>> + FeedsAt<4, Read<N, T, R, C, 4>> + FeedsAt<5, Read<N, T, R, C, 5>>, N: Evaluate<Checked<F, N, T, R, C>, T, R, C> {
        // Compiled again for the widest vector registers, as a `network!` pass of this size
        // runs (`kernels::isa::widest`): the same bits, activations included. An inference
        // pass: the operations keep no copies of their inputs for a backward pass.
        let work = R * <N::Variables as crate::optim::PerParameter<T>>::LEN;
        crate::kernels::isa::widest(work, #[inline(always)] || node.forward(checked::<F, N, T, R, C>(feed), Pass::inference()))
    }
}
