//! `add`: the sum of two nodes of one shape (a [`Bias`](crate::graph::Bias) takes any
//! number of rows, so `matmul(x, w) + &b` adds it to every sample).

use crate::graph::feed::MergeReads;
use crate::graph::node::Reads;
use crate::graph::node::{by_reference, reaches_variables};
use crate::graph::shape::{AddColumns, AddRows, SameElement, ShapeOf};
use crate::graph::{Evaluate, Memo, Node, Pass, VariableVisitor};
use crate::{Element, Matrix};

/// The node `a + b`, an `R × C` matrix of `T`, built by [`add`] or the `+` operator.
#[derive(Clone, Debug)]
pub struct Add<A, B, T: Element, const R: usize, const C: usize> {
    a: A,
    b: B,
    memo: Memo<T, R, C>,
}

impl<A, B, T: Element, const R: usize, const C: usize> Add<A, B, T, R, C> {
    /// The sum of `a` and `b`; [`add`] and `+` check that their shapes agree.
    pub const fn new(a: A, b: B) -> Self {
        Self { a, b, memo: Memo::new() }
    }
}

/// `a + b`, element by element: the tutorial's `add`.
///
/// ```
/// use ferroflow_core::graph::*;
/// use ferroflow_core::matrix::from_rows;
/// let a = Constant::new(from_rows([[1.0, 2.0]]));
/// let b = Variable::new(from_rows([[10.0, 20.0]]));
/// assert_eq!(Session.run(&add(a, &b), &()), from_rows([[11.0, 22.0]]));
/// ```
// The shape rules on the line of the name, unformatted: rustc then quotes that one line
// when it reports a broken rule.
#[rustfmt::skip]
pub fn add<T: Element, U: Element, A: Node<T, R, C>, B: Node<U, R2, C2>, const R: usize, const C: usize, const R2: usize, const C2: usize>(a: A, b: B) -> Add<A, B, T, R, C> where <B as ShapeOf<U, R2, C2>>::Shape: SameElement<T, U> + AddRows<R, R2> + AddColumns<C, C2> {
    Add::new(a, b)
}

impl<T: Element, const R: usize, const C: usize, A: Node<T, R, C>, B: Node<T, R, C>> Node<T, R, C>
    for Add<A, B, T, R, C>
where
    A::Placeholders: MergeReads<B::Placeholders, Output: Reads>,
{
    type Variables = (A::Variables, B::Variables);
    type Placeholders = <A::Placeholders as MergeReads<B::Placeholders>>::Output;

    fn backward(&self, grad: &Matrix<T, R, C>, pass: Pass) {
        self.memo.receive_then(grad, pass, |gradient, _, ()| {
            // Both operands receive the sum's gradient unchanged (`add_backward`), without
            // a copy each, and only where it reaches a variable.
            if reaches_variables::<T, A::Variables>() {
                self.a.backward(gradient, pass);
            }
            if reaches_variables::<T, B::Variables>() {
                self.b.backward(gradient, pass);
            }
        });
    }

    fn visit_variables(&self, visitor: &mut dyn VariableVisitor<T>, pass: Pass) {
        self.memo.visit::<Self::Variables>(visitor, pass, |visitor| {
            self.a.visit_variables(visitor, pass);
            self.b.visit_variables(visitor, pass);
        });
    }
}

impl<F, T: Element, const R: usize, const C: usize, A, B> Evaluate<F, T, R, C>
    for Add<A, B, T, R, C>
where
    A: Evaluate<F, T, R, C>,
    B: Evaluate<F, T, R, C>,
    A::Placeholders: MergeReads<B::Placeholders, Output: Reads>,
{
    #[inline]
    fn forward(&self, feed: &F, pass: Pass) -> Matrix<T, R, C> {
        self.forward_then(feed, pass, |value| *value)
    }

    fn forward_then<X>(&self, feed: &F, pass: Pass, then: impl FnOnce(&Matrix<T, R, C>) -> X) -> X {
        self.memo.compute_value_then(
            pass,
            |out| {
                self.a.forward_then(feed, pass, |a| {
                    self.b.forward_then(feed, pass, |b| crate::ops::add_into(a, b, out))
                })
            },
            then,
        )
    }
}

by_reference!([A, B, T: Element, const R: usize, const C: usize] Add<A, B, T, R, C> => Node<T, R, C>);

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
            let b = Variable::new(uniform::<3, 4>(&mut rng, -2.0, 2.0));
            let w = Constant::new(uniform::<3, 4>(&mut rng, -1.0, 1.0));
            let loss = reduce_sum(multiply(add(&a, &b), w));
            assert_graph_gradient("add a", &loss, &a);
            assert_graph_gradient("add b", &loss, &b);
        }
    }
}
