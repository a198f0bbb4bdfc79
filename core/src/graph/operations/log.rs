//! `log`: the natural logarithm of a node, clamped at the smallest positive number.

use crate::graph::node::by_reference;
use crate::graph::{Evaluate, Memo, Node, Pass, VariableVisitor};
use crate::{Element, Matrix};

/// The node `ln a`, an `R × C` matrix of `T`, built by [`log`].
#[derive(Clone, Debug)]
pub struct Log<A, T: Element, const R: usize, const C: usize> {
    a: A,
    // The derivative needs the input.
    memo: Memo<T, R, C, Matrix<T, R, C>>,
}

/// `ln a`, element by element: the tutorial's `log`. Values at or below zero are clamped
/// to the smallest positive normal number first (see [`ops::log`](fn@crate::ops::log)), so a
/// probability of 0 gives a large finite loss instead of infinity.
pub fn log<A, T: Element, const R: usize, const C: usize>(a: A) -> Log<A, T, R, C>
where
    A: Node<T, R, C>,
{
    Log { a, memo: Memo::new() }
}

impl<T: Element, const R: usize, const C: usize, A: Node<T, R, C>> Node<T, R, C>
    for Log<A, T, R, C>
{
    type Variables = A::Variables;
    type Placeholders = A::Placeholders;

    fn backward(&self, grad: &Matrix<T, R, C>, pass: Pass) {
        self.memo.receive_then(grad, pass, |gradient, _, a| {
            let gradient = super::elementwise(
                R * C,
                #[inline(always)]
                || crate::ops::log_backward(a, gradient),
            );
            self.a.backward(&gradient, pass);
        });
    }

    fn visit_variables(&self, visitor: &mut dyn VariableVisitor<T>, pass: Pass) {
        self.memo.visit::<Self::Variables>(visitor, pass, |visitor| {
            self.a.visit_variables(visitor, pass)
        });
    }
}

impl<F, T: Element, const R: usize, const C: usize, A> Evaluate<F, T, R, C> for Log<A, T, R, C>
where
    A: Evaluate<F, T, R, C>,
{
    #[inline]
    fn forward(&self, feed: &F, pass: Pass) -> Matrix<T, R, C> {
        self.forward_then(feed, pass, |value| *value)
    }

    fn forward_then<X>(&self, feed: &F, pass: Pass, then: impl FnOnce(&Matrix<T, R, C>) -> X) -> X {
        self.memo.compute_then(
            pass,
            |out, saved| {
                self.a.forward_then(feed, pass, |a| {
                    *out = super::elementwise(
                        R * C,
                        #[inline(always)]
                        || crate::ops::log(a),
                    );
                    // The derivative reads the input.
                    if pass.backward_follows() {
                        *saved = Some(*a);
                    }
                })
            },
            then,
        )
    }
}

by_reference!([A, T: Element, const R: usize, const C: usize] Log<A, T, R, C> => Node<T, R, C>);

#[cfg(test)]
mod tests {
    use crate::graph::testing::assert_graph_gradient;
    use crate::graph::*;
    use crate::testing::*;

    #[test]
    fn backward_matches_finite_differences() {
        for seed in 0..CASES {
            let mut rng = rng(seed);
            let a = Variable::new(uniform::<3, 4>(&mut rng, 0.1, 3.0));
            let w = Constant::new(uniform::<3, 4>(&mut rng, -1.0, 1.0));
            assert_graph_gradient("log", &reduce_sum(multiply(log(&a), w)), &a);
        }
    }
}
