//! `reduce_sum`: the sum of every element of a node, or along one axis.

use crate::graph::node::by_reference;
use crate::graph::shape::{ShapeOf, ValidAxis};
use crate::graph::{Evaluate, Memo, Node, Pass, VariableVisitor};
use crate::{Element, Matrix};
use core::marker::PhantomData;

/// The axis a reduction runs along, as the tutorial's `axis=` argument: `Axis::<0>` sums
/// down each column (over the samples of a batch), `Axis::<1>` across each row (over the
/// features or classes of each sample).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Axis<const AXIS: usize>;

/// The node `Σ a`, the 1 × 1 sum of every element of an `R × C` node of `T`, built by
/// [`reduce_sum`].
#[derive(Clone, Debug)]
pub struct ReduceSum<A, T: Element, const R: usize, const C: usize> {
    a: A,
    memo: Memo<T, 1, 1>,
    shape: PhantomData<[[T; R]; C]>,
}

/// The node that sums an `R × C` node of `T` along axis `AXIS`, built by
/// [`reduce_sum_axis`]: `1 × C` along axis 0, `R × 1` along axis 1.
#[derive(Clone, Copy, Debug)]
// No memo: its value's shape depends on `AXIS`, which a field's type cannot follow. Read
// twice, it sums twice and passes both gradients down, and the node below, which keeps a
// memo, is still computed once.
pub struct ReduceSumAxis<A, T, const AXIS: usize, const R: usize, const C: usize> {
    a: A,
    shape: PhantomData<T>,
}

/// The sum of every element, a 1 × 1 node: the tutorial's `reduce_sum(a)`.
pub fn reduce_sum<A, T: Element, const R: usize, const C: usize>(a: A) -> ReduceSum<A, T, R, C>
where
    A: Node<T, R, C>,
{
    ReduceSum { a, memo: Memo::new(), shape: PhantomData }
}

/// The sum along one axis: the tutorial's `reduce_sum(a, axis=…)`. Along `Axis::<0>` an
/// `R × C` node becomes `1 × C`; along `Axis::<1>` it becomes `R × 1`. Another axis does
/// not compile.
///
/// ```
/// use ferroflow_core::graph::*;
/// use ferroflow_core::matrix::from_rows;
/// let a = Constant::new(from_rows([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]));
/// assert_eq!(Session.run(&reduce_sum_axis(a, Axis::<0>), &()), from_rows([[5.0, 7.0, 9.0]]));
/// assert_eq!(Session.run(&reduce_sum_axis(a, Axis::<1>), &()), from_rows([[6.0], [15.0]]));
/// ```
// The shape rules on the line of the name, unformatted: rustc then quotes that one line
// when it reports a broken rule.
#[rustfmt::skip]
pub fn reduce_sum_axis<T: Element, A: Node<T, R, C>, const R: usize, const C: usize, const AXIS: usize>(a: A, _axis: Axis<AXIS>) -> ReduceSumAxis<A, T, AXIS, R, C> where <A as ShapeOf<T, R, C>>::Shape: ValidAxis<AXIS, R, C> {
    ReduceSumAxis { a, shape: PhantomData }
}

impl<T: Element, const R: usize, const C: usize, A: Node<T, R, C>> Node<T, 1, 1>
    for ReduceSum<A, T, R, C>
{
    type Variables = A::Variables;
    type Placeholders = A::Placeholders;

    fn backward(&self, grad: &Matrix<T, 1, 1>, pass: Pass) {
        self.memo.receive_then(grad, pass, |gradient, _, ()| {
            self.a.backward(&crate::ops::reduce_sum_backward(gradient[0]), pass);
        });
    }

    fn visit_variables(&self, visitor: &mut dyn VariableVisitor<T>, pass: Pass) {
        self.memo.visit::<Self::Variables>(visitor, pass, |visitor| {
            self.a.visit_variables(visitor, pass)
        });
    }
}

impl<F, T: Element, const R: usize, const C: usize, A> Evaluate<F, T, 1, 1>
    for ReduceSum<A, T, R, C>
where
    A: Evaluate<F, T, R, C>,
{
    #[inline]
    fn forward(&self, feed: &F, pass: Pass) -> Matrix<T, 1, 1> {
        self.forward_then(feed, pass, |value| *value)
    }

    fn forward_then<X>(&self, feed: &F, pass: Pass, then: impl FnOnce(&Matrix<T, 1, 1>) -> X) -> X {
        self.memo.compute_value_then(
            pass,
            |out| {
                self.a.forward_then(feed, pass, |a| {
                    *out = Matrix::from_element(crate::ops::reduce_sum(a))
                })
            },
            then,
        )
    }
}

impl<T: Element, const R: usize, const C: usize, A: Node<T, R, C>> Node<T, 1, C>
    for ReduceSumAxis<A, T, 0, R, C>
{
    type Variables = A::Variables;
    type Placeholders = A::Placeholders;

    fn backward(&self, grad: &Matrix<T, 1, C>, pass: Pass) {
        self.a.backward(&crate::ops::reduce_sum_axis0_backward(grad), pass);
    }

    fn visit_variables(&self, visitor: &mut dyn VariableVisitor<T>, pass: Pass) {
        self.a.visit_variables(visitor, pass);
    }
}

impl<F, T: Element, const R: usize, const C: usize, A> Evaluate<F, T, 1, C>
    for ReduceSumAxis<A, T, 0, R, C>
where
    A: Evaluate<F, T, R, C>,
{
    fn forward(&self, feed: &F, pass: Pass) -> Matrix<T, 1, C> {
        self.a.forward_then(feed, pass, crate::ops::reduce_sum_axis0)
    }
}

impl<T: Element, const R: usize, const C: usize, A: Node<T, R, C>> Node<T, R, 1>
    for ReduceSumAxis<A, T, 1, R, C>
{
    type Variables = A::Variables;
    type Placeholders = A::Placeholders;

    fn backward(&self, grad: &Matrix<T, R, 1>, pass: Pass) {
        self.a.backward(&crate::ops::reduce_sum_axis1_backward(grad), pass);
    }

    fn visit_variables(&self, visitor: &mut dyn VariableVisitor<T>, pass: Pass) {
        self.a.visit_variables(visitor, pass);
    }
}

impl<F, T: Element, const R: usize, const C: usize, A> Evaluate<F, T, R, 1>
    for ReduceSumAxis<A, T, 1, R, C>
where
    A: Evaluate<F, T, R, C>,
{
    fn forward(&self, feed: &F, pass: Pass) -> Matrix<T, R, 1> {
        self.a.forward_then(feed, pass, crate::ops::reduce_sum_axis1)
    }
}

by_reference!([A, T: Element, const R: usize, const C: usize] ReduceSum<A, T, R, C> => Node<T, 1, 1>);
by_reference!([A, T: Element, const R: usize, const C: usize]
    ReduceSumAxis<A, T, 0, R, C> => Node<T, 1, C>);
by_reference!([A, T: Element, const R: usize, const C: usize]
    ReduceSumAxis<A, T, 1, R, C> => Node<T, R, 1>);

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
            let w0 = Constant::new(uniform::<1, 4>(&mut rng, -1.0, 1.0));
            let w1 = Constant::new(uniform::<3, 1>(&mut rng, -1.0, 1.0));
            let w = Constant::new(uniform::<1, 1>(&mut rng, -1.0, 1.0));
            assert_graph_gradient("reduce_sum", &multiply(reduce_sum(&a), w), &a);
            let axis0 = reduce_sum(multiply(reduce_sum_axis(&a, Axis::<0>), w0));
            assert_graph_gradient("reduce_sum axis 0", &axis0, &a);
            let axis1 = reduce_sum(multiply(reduce_sum_axis(&a, Axis::<1>), w1));
            assert_graph_gradient("reduce_sum axis 1", &axis1, &a);
        }
    }
}
