//! `matmul`: the matrix product of two nodes whose inner dimensions agree.

use crate::graph::feed::MergeReads;
use crate::graph::node::Reads;
use crate::graph::node::{by_reference, reaches_variables};
use crate::graph::shape::{InnerDimensions, SameElement, ShapeOf};
use crate::graph::{Evaluate, Memo, Node, Pass, VariableVisitor};
use crate::{Element, Matrix};

/// The node `a · b`, an `R × C` matrix of `T`, from an `R × K` and a `K × C` node, built
/// by [`matmul`].
#[derive(Clone, Debug)]
pub struct MatMul<A, B, T: Element, const R: usize, const K: usize, const C: usize> {
    a: A,
    b: B,
    // Each operand's gradient reads the other: kept after a training pass where a variable
    // lies below the other side (`keep_crosswise`).
    memo: Memo<T, R, C, (Matrix<T, R, K>, Matrix<T, K, C>)>,
}

/// `a · b`: the tutorial's `matmul`. An `R × K` matrix times a `K × C` matrix is `R × C`;
/// inner dimensions that differ do not compile.
///
/// ```
/// use ferroflow_core::graph::*;
/// use ferroflow_core::matrix::from_rows;
/// let a = Variable::new(from_rows([[1.0, 0.0], [0.0, -1.0]]));
/// let x = Placeholder::<f64, 2, 1, 0>::new();
/// let y = matmul(&a, x);
/// assert_eq!(Session.run(&y, &from_rows([[1.0], [2.0]])), from_rows([[1.0], [-2.0]]));
/// ```
// The shape rules on the line of the name, unformatted: rustc then quotes that one line
// when it reports a broken rule.
#[rustfmt::skip]
pub fn matmul<T: Element, U: Element, A: Node<T, R, K>, B: Node<U, K2, C>, const R: usize, const K: usize, const K2: usize, const C: usize>(a: A, b: B) -> MatMul<A, B, T, R, K, C> where <B as ShapeOf<U, K2, C>>::Shape: SameElement<T, U> + InnerDimensions<K, K2> {
    MatMul { a, b, memo: Memo::new() }
}

impl<T: Element, const R: usize, const K: usize, const C: usize, A, B> Node<T, R, C>
    for MatMul<A, B, T, R, K, C>
where
    A: Node<T, R, K>,
    B: Node<T, K, C>,
    A::Placeholders: MergeReads<B::Placeholders, Output: Reads>,
{
    type Variables = (A::Variables, B::Variables);
    type Placeholders = <A::Placeholders as MergeReads<B::Placeholders>>::Output;

    fn backward(&self, grad: &Matrix<T, R, C>, pass: Pass) {
        self.memo.receive_then(grad, pass, |gradient, _, (a, b)| {
            // The gradient of each operand of `matmul_backward`, computed only for an operand
            // with variables below it: `x W` does not differentiate the batch `x`, as long
            // a product as its forward pass.
            if reaches_variables::<T, A::Variables>() {
                self.a.backward(&crate::ops::matmul_transpose_b(gradient, b), pass);
            }
            if reaches_variables::<T, B::Variables>() {
                self.b.backward(&crate::ops::matmul_transpose_a(a, gradient), pass);
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

impl<F, T: Element, const R: usize, const K: usize, const C: usize, A, B> Evaluate<F, T, R, C>
    for MatMul<A, B, T, R, K, C>
where
    A: Evaluate<F, T, R, K>,
    B: Evaluate<F, T, K, C>,
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
                        crate::kernels::matmul::matmul(&a.data.0, &b.data.0, &mut out.data.0);
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

by_reference!([A, B, T: Element, const R: usize, const K: usize, const C: usize]
    MatMul<A, B, T, R, K, C> => Node<T, R, C>);

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
            let b = Variable::new(uniform::<4, 2>(&mut rng, -2.0, 2.0));
            let w = Constant::new(uniform::<3, 2>(&mut rng, -1.0, 1.0));
            let loss = reduce_sum(multiply(matmul(&a, &b), w));
            assert_graph_gradient("matmul a", &loss, &a);
            assert_graph_gradient("matmul b", &loss, &b);
        }
    }

    /// `Session::run` keeps nothing for a derivative; a training pass keeps the batch of
    /// `matmul(x, w)` (what `w`'s gradient reads) from its own feed, not an earlier one.
    #[test]
    fn operands_are_kept_only_for_a_backward_pass() {
        let mut rng = rng(3);
        let x = Placeholder::<f64, 3, 4, 0>::new();
        let w = Variable::new(uniform::<4, 2>(&mut rng, -1.0, 1.0));
        let product = matmul(x, &w);
        let (first, second) =
            (uniform::<3, 4>(&mut rng, -1.0, 1.0), uniform::<3, 4>(&mut rng, -1.0, 1.0));
        Session.run(&product, &first);
        assert!(product.memo.kept().is_none(), "inference kept its operands");
        compute_gradients(&reduce_sum(&product), &second);
        let kept = product.memo.kept().map(|(kept_x, _)| kept_x);
        assert_eq!(kept, Some(second));
        // ∂(Σ x w)/∂w[k][c] = Σ_r x[r][k], from the batch of this pass.
        let expected = crate::ops::reduce_sum_axis0(&second).transpose()
            * crate::Matrix::<f64, 1, 2>::repeat(1.0);
        assert_eq!(w.gradient(), expected);
        Session.run(&product, &first);
        assert_eq!(
            product.memo.kept().map(|(kept_x, _)| kept_x),
            Some(second),
            "an inference pass leaves what a training pass kept"
        );
    }
}
