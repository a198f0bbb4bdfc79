//! `multiply`: the element-by-element product of two nodes of one shape.

use crate::graph::feed::MergeReads;
use crate::graph::node::Reads;
use crate::graph::node::by_reference;
use crate::graph::shape::{MultiplyColumns, MultiplyRows, SameElement, ShapeOf};
use crate::graph::{Evaluate, Node, VariableVisitor};
use crate::{Element, Matrix};
use core::marker::PhantomData;

/// The node `a ⊙ b`, an `R × C` matrix of `T`, built by [`multiply`].
#[derive(Clone, Copy, Debug)]
pub struct Multiply<A, B, T, const R: usize, const C: usize> {
    a: A,
    b: B,
    shape: PhantomData<T>,
}

/// `a ⊙ b`, element by element: the tutorial's `multiply`, as in its loss
/// `multiply(c, log(p))`.
// The shape rules on the line of the name, unformatted: rustc then quotes that one line
// when it reports a broken rule.
#[rustfmt::skip]
pub fn multiply<T: Element, U: Element, A: Node<T, R, C>, B: Node<U, R2, C2>, const R: usize, const C: usize, const R2: usize, const C2: usize>(a: A, b: B) -> Multiply<A, B, T, R, C> where <B as ShapeOf<U, R2, C2>>::Shape: SameElement<T, U> + MultiplyRows<R, R2> + MultiplyColumns<C, C2> {
    Multiply { a, b, shape: PhantomData }
}

impl<T: Element, const R: usize, const C: usize, A: Node<T, R, C>, B: Node<T, R, C>> Node<T, R, C>
    for Multiply<A, B, T, R, C>
where
    A::Placeholders: MergeReads<B::Placeholders, Output: Reads>,
{
    type Trace = (Matrix<T, R, C>, Matrix<T, R, C>, A::Trace, B::Trace);
    type Variables = (A::Variables, B::Variables);
    type Placeholders = <A::Placeholders as MergeReads<B::Placeholders>>::Output;

    fn backward(&self, trace: &Self::Trace, grad: &Matrix<T, R, C>) {
        let (a, b, trace_a, trace_b) = trace;
        let (grad_a, grad_b) = crate::ops::multiply_backward(a, b, grad);
        self.a.backward(trace_a, &grad_a);
        self.b.backward(trace_b, &grad_b);
    }

    fn visit_variables(&self, visitor: &mut impl VariableVisitor<T>) {
        self.a.visit_variables(visitor);
        self.b.visit_variables(visitor);
    }
}

impl<F, T: Element, const R: usize, const C: usize, A, B> Evaluate<F, T, R, C>
    for Multiply<A, B, T, R, C>
where
    A: Evaluate<F, T, R, C>,
    B: Evaluate<F, T, R, C>,
    A::Placeholders: MergeReads<B::Placeholders, Output: Reads>,
{
    fn forward(&self, feed: &F) -> (Matrix<T, R, C>, Self::Trace) {
        let (a, trace_a) = self.a.forward(feed);
        let (b, trace_b) = self.b.forward(feed);
        (crate::ops::multiply(&a, &b), (a, b, trace_a, trace_b))
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
