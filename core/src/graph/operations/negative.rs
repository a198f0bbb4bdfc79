//! `negative`: the negation of a node.

use crate::graph::node::by_reference;
use crate::graph::{Evaluate, Memo, Node, Pass, VariableVisitor};
use crate::{Element, Matrix};

/// The node `−a`, an `R × C` matrix of `T`, built by [`negative`] or the unary `-`
/// operator.
#[derive(Clone, Debug)]
pub struct Negative<A, T: Element, const R: usize, const C: usize> {
    a: A,
    memo: Memo<T, R, C>,
}

impl<A, T: Element, const R: usize, const C: usize> Negative<A, T, R, C> {
    /// The negation of `a`.
    pub const fn new(a: A) -> Self {
        Self { a, memo: Memo::new() }
    }
}

/// `−a`, element by element: the tutorial's `negative`.
pub fn negative<A, T: Element, const R: usize, const C: usize>(a: A) -> Negative<A, T, R, C>
where
    A: Node<T, R, C>,
{
    Negative::new(a)
}

impl<T: Element, const R: usize, const C: usize, A: Node<T, R, C>> Node<T, R, C>
    for Negative<A, T, R, C>
{
    type Variables = A::Variables;
    type Placeholders = A::Placeholders;

    fn backward(&self, grad: &Matrix<T, R, C>, pass: Pass) {
        self.memo.receive_then(grad, pass, |gradient, _, ()| {
            self.a.backward(&crate::ops::negative_backward(gradient), pass);
        });
    }

    fn visit_variables(&self, visitor: &mut dyn VariableVisitor<T>, pass: Pass) {
        self.memo.visit::<Self::Variables>(visitor, pass, |visitor| {
            self.a.visit_variables(visitor, pass)
        });
    }
}

impl<F, T: Element, const R: usize, const C: usize, A> Evaluate<F, T, R, C> for Negative<A, T, R, C>
where
    A: Evaluate<F, T, R, C>,
{
    #[inline]
    fn forward(&self, feed: &F, pass: Pass) -> Matrix<T, R, C> {
        self.forward_then(feed, pass, |value| *value)
    }

    fn forward_then<X>(&self, feed: &F, pass: Pass, then: impl FnOnce(&Matrix<T, R, C>) -> X) -> X {
        self.memo.compute_value_then(
            pass,
            |out| self.a.forward_then(feed, pass, |a| *out = crate::ops::negative(a)),
            then,
        )
    }
}

by_reference!([A, T: Element, const R: usize, const C: usize] Negative<A, T, R, C> => Node<T, R, C>);

#[cfg(test)]
mod tests {
    use crate::graph::testing::assert_graph_gradient;
    use crate::graph::*;
    use crate::testing::*;

    #[test]
    fn backward_matches_finite_differences() {
        for seed in 0..CASES {
            let mut rng = rng(seed);
            let a = Variable::new(uniform::<3, 4>(&mut rng, -2.0, 2.0));
            let w = Constant::new(uniform::<3, 4>(&mut rng, -1.0, 1.0));
            assert_graph_gradient("negative", &reduce_sum(multiply(negative(&a), w)), &a);
            assert_graph_gradient("unary minus", &reduce_sum(multiply(-&a, w)), &a);
        }
    }
}
