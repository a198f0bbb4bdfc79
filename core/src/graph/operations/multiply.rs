//! `multiply`: the element-by-element product of two nodes of one shape.

use crate::graph::feed::MergeReads;
use crate::graph::node::Reads;
use crate::graph::node::{by_reference, reaches_variables};
use crate::graph::shape::{MultiplyColumns, MultiplyRows, SameElement, ShapeOf};
use crate::graph::{Evaluate, Memo, Node, Pass, VariableVisitor};
use crate::{Element, Matrix};

/// The node `a ⊙ b`, an `R × C` matrix of `T`, built by [`multiply`].
#[derive(Clone, Debug)]
pub struct Multiply<A, B, T: Element, const R: usize, const C: usize> {
    a: A,
    b: B,
    // Each operand's gradient reads the other: kept after a training pass where a variable
    // lies below the other side (`keep_crosswise`).
    memo: Memo<T, R, C, (Matrix<T, R, C>, Matrix<T, R, C>)>,
}

/// `a ⊙ b`, element by element: the tutorial's `multiply`, as in its loss
/// `multiply(c, log(p))`.
// The shape rules on the line of the name, unformatted: rustc then quotes that one line
// when it reports a broken rule.
#[rustfmt::skip]
pub fn multiply<T: Element, U: Element, A: Node<T, R, C>, B: Node<U, R2, C2>, const R: usize, const C: usize, const R2: usize, const C2: usize>(a: A, b: B) -> Multiply<A, B, T, R, C> where <B as ShapeOf<U, R2, C2>>::Shape: SameElement<T, U> + MultiplyRows<R, R2> + MultiplyColumns<C, C2> {
    Multiply { a, b, memo: Memo::new() }
}

impl<T: Element, const R: usize, const C: usize, A: Node<T, R, C>, B: Node<T, R, C>> Node<T, R, C>
    for Multiply<A, B, T, R, C>
where
    A::Placeholders: MergeReads<B::Placeholders, Output: Reads>,
{
    type Variables = (A::Variables, B::Variables);
    type Placeholders = <A::Placeholders as MergeReads<B::Placeholders>>::Output;

    fn backward(&self, grad: &Matrix<T, R, C>, pass: Pass) {
        self.memo.receive_then(grad, pass, |gradient, _, (a, b)| {
            // The two halves of `multiply_backward`, each only where it reaches a variable.
            if reaches_variables::<T, A::Variables>() {
                self.a.backward(&crate::ops::multiply(gradient, b), pass);
            }
            if reaches_variables::<T, B::Variables>() {
                self.b.backward(&crate::ops::multiply(gradient, a), pass);
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
    for Multiply<A, B, T, R, C>
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
        self.memo.compute_then(
            pass,
            |out, saved| {
                self.a.forward_then(feed, pass, |a| {
                    self.b.forward_then(feed, pass, |b| {
                        *out = crate::ops::multiply(a, b);
                        super::keep_crosswise::<T, A::Variables, B::Variables, _, _>(
                            saved,
                            pass,
                            (a, b),
                        );
                    })
                })
            },
            then,
        )
    }
}

by_reference!([A, B, T: Element, const R: usize, const C: usize]
    Multiply<A, B, T, R, C> => Node<T, R, C>);

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
            let loss = reduce_sum(multiply(multiply(&a, &b), w));
            assert_graph_gradient("multiply a", &loss, &a);
            assert_graph_gradient("multiply b", &loss, &b);
        }
    }
}
