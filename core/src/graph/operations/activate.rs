//! The activations `sigmoid`, `softmax`, `tanh` and `relu` as graph nodes: one node type
//! over the [`Activation`] trait, whose forward and backward passes live in [`crate::ops`].

use crate::graph::node::by_reference;
use crate::graph::{Evaluate, Memo, Node, Pass, VariableVisitor};
use crate::{Activation, Element, Matrix, Relu, Sigmoid, Softmax, Tanh};
use core::marker::PhantomData;

/// The node `activation(a)`, an `R × C` matrix of `T`, built by [`sigmoid`], [`softmax`],
/// [`tanh`] or [`relu`].
#[derive(Clone, Debug)]
pub struct Activate<Act, A, T: Element, const R: usize, const C: usize> {
    a: A,
    // Every activation's derivative is a function of its output, the memo's value.
    memo: Memo<T, R, C>,
    activation: PhantomData<Act>,
}

impl<Act: Activation, A, T: Element, const R: usize, const C: usize> Activate<Act, A, T, R, C> {
    /// The activation `Act` applied to `a`.
    pub const fn new(a: A) -> Self {
        Self { a, memo: Memo::new(), activation: PhantomData }
    }
}

/// `σ(a)`, element by element: the tutorial's `sigmoid`.
///
/// ```
/// use ferroflow_core::graph::*;
/// use ferroflow_core::matrix::{from_rows, row};
/// // The tutorial's perceptron w = (1, 1), b = 0 on the point (3, 2).
/// let x = Placeholder::<f64, 1, 2, 0>::new();
/// let w = Variable::new(from_rows([[1.0], [1.0]]));
/// let b = Bias::new(row([0.0]));
/// let p = sigmoid(matmul(x, &w) + &b);
/// let p = Session.run(&p, &from_rows([[3.0, 2.0]]))[0];
/// assert!((p - 0.993307149076).abs() < 1e-12);
/// ```
pub fn sigmoid<A, T: Element, const R: usize, const C: usize>(a: A) -> Activate<Sigmoid, A, T, R, C>
where
    A: Node<T, R, C>,
{
    Activate::new(a)
}

/// The softmax of each row (sample): the tutorial's `softmax`.
pub fn softmax<A, T: Element, const R: usize, const C: usize>(a: A) -> Activate<Softmax, A, T, R, C>
where
    A: Node<T, R, C>,
{
    Activate::new(a)
}

/// `tanh(a)`, element by element.
pub fn tanh<A, T: Element, const R: usize, const C: usize>(a: A) -> Activate<Tanh, A, T, R, C>
where
    A: Node<T, R, C>,
{
    Activate::new(a)
}

/// `max(0, a)`, element by element (the derivative at 0 is taken as 0).
pub fn relu<A, T: Element, const R: usize, const C: usize>(a: A) -> Activate<Relu, A, T, R, C>
where
    A: Node<T, R, C>,
{
    Activate::new(a)
}

impl<T: Element, const R: usize, const C: usize, Act: Activation, A: Node<T, R, C>> Node<T, R, C>
    for Activate<Act, A, T, R, C>
{
    type Variables = A::Variables;
    type Placeholders = A::Placeholders;

    fn backward(&self, grad: &Matrix<T, R, C>, pass: Pass) {
        self.memo.receive_then(grad, pass, |gradient, value, ()| {
            let gradient = super::elementwise(
                R * C,
                #[inline(always)]
                || Act::backward(value, gradient),
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

impl<F, T: Element, const R: usize, const C: usize, Act: Activation, A> Evaluate<F, T, R, C>
    for Activate<Act, A, T, R, C>
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
            |out| {
                self.a.forward_then(feed, pass, |input| *out = *input);
                super::elementwise(
                    R * C,
                    #[inline(always)]
                    || Act::forward_in_place(out),
                );
            },
            then,
        )
    }
}

by_reference!([Act: Activation, A, T: Element, const R: usize, const C: usize]
    Activate<Act, A, T, R, C> => Node<T, R, C>);

#[cfg(test)]
mod tests {
    use crate::graph::testing::assert_graph_gradient;
    use crate::graph::*;
    use crate::testing::*;

    #[test]
    fn backward_matches_finite_differences() {
        for seed in 0..CASES {
            let mut rng = rng(seed);
            let a = Variable::new(uniform::<3, 4>(&mut rng, -3.0, 3.0));
            let w = Constant::new(uniform::<3, 4>(&mut rng, -1.0, 1.0));
            assert_graph_gradient("sigmoid", &reduce_sum(multiply(sigmoid(&a), w)), &a);
            assert_graph_gradient("softmax", &reduce_sum(multiply(softmax(&a), w)), &a);
            assert_graph_gradient("tanh", &reduce_sum(multiply(tanh(&a), w)), &a);
            // Keep away from relu's kink, where finite differences straddle two slopes.
            a.set(a.value().map(|v| if v.abs() < 0.01 { 0.5 } else { v }));
            assert_graph_gradient("relu", &reduce_sum(multiply(relu(&a), w)), &a);
        }
    }
}
