//! The operations of the tutorial as graph nodes, one file each. Each node's forward and
//! backward passes call the functions of [`crate::ops`], so the numerical work lives in
//! one place and the graph is typed glue.
//!
//! Every node type also gets the operators `+` ([`add`]) and unary `-` ([`negative`]), as
//! do references to nodes (except a bias on the left of `+`: write `x + &b`). `*` is left out on purpose: numpy reads it as the element-wise
//! product and nalgebra as the matrix product; [`multiply`] and [`matmul`] say which.

mod activate;
mod add;
mod log;
mod matmul;
mod multiply;
mod negative;
mod reduce_sum;

pub use activate::{Activate, relu, sigmoid, softmax, tanh};
pub use add::{Add, add};
pub use log::{Log, log};
pub use matmul::{MatMul, matmul};
pub use multiply::{Multiply, multiply};
pub use negative::{Negative, negative};
pub use reduce_sum::{Axis, ReduceSum, ReduceSumAxis, reduce_sum, reduce_sum_axis};

use super::node::{Reads, reaches_variables};
use super::shape::{AddsTo, MatrixOf, Operand};
use super::{Constant, Pass, Placeholder, Shared, Variable};
use crate::optim::PerParameter;
use crate::{Activation, Element};

/// Gives each listed node type (written with its generic parameters in brackets, and the
/// shape of its value) the operators `+` and unary `-`, and its shape as an [`Operand`].
/// A blanket impl over every node is not allowed by the orphan rules, hence the list.
///
/// `a + b` takes the shape of `a`, and `b` must fit it ([`AddsTo`]; a
/// [`Bias`](super::Bias) on the right fits every number of rows): a mismatch is reported at
/// the `+`, whether or not the sum is ever used. A bias cannot stand on the left of `+`,
/// whose output would not know its number of rows: write `x + &b`.
macro_rules! operators {
    ($([$($generics:tt)*] $node:ty => ($t:ty, $r:tt, $c:tt);)*) => {$(
        impl<$($generics)* Rhs: Operand> core::ops::Add<Rhs> for $node
        where
            Rhs::Shape: AddsTo<$t, $r, $c>,
        {
            type Output = <Rhs::Shape as AddsTo<$t, $r, $c>>::Sum<Self, Rhs>;

            /// The tutorial's `add`.
            #[inline]
            fn add(self, rhs: Rhs) -> Self::Output {
                <Rhs::Shape as AddsTo<$t, $r, $c>>::sum(self, rhs)
            }
        }

        impl<$($generics)*> Operand for $node {
            type Shape = MatrixOf<$t, $r, $c>;
        }

        impl<$($generics)*> core::ops::Neg for $node {
            type Output = Negative<Self, $t, $r, $c>;

            /// The tutorial's `negative`.
            #[inline]
            fn neg(self) -> Self::Output {
                Negative::new(self)
            }
        }
    )*};
}

operators! {
    [T: Element, const R: usize, const C: usize, const SLOT: usize,]
        Placeholder<T, R, C, SLOT> => (T, R, C);
    ['a, T: Element, const R: usize, const C: usize, const SLOT: usize,]
        &'a Placeholder<T, R, C, SLOT> => (T, R, C);
    [T: Element, const R: usize, const C: usize,] Variable<T, R, C> => (T, R, C);
    ['a, T: Element, const R: usize, const C: usize,] &'a Variable<T, R, C> => (T, R, C);
    [T: Element, const R: usize, const C: usize,] Constant<T, R, C> => (T, R, C);
    ['s, T: Element, const R: usize, const C: usize, P: Reads,] Shared<'s, T, R, C, P> => (T, R, C);
    ['a, 's, T: Element, const R: usize, const C: usize, P: Reads,]
        &'a Shared<'s, T, R, C, P> => (T, R, C);
    ['a, T: Element, const R: usize, const C: usize,] &'a Constant<T, R, C> => (T, R, C);
    [A, B, T: Element, const R: usize, const C: usize,] Add<A, B, T, R, C> => (T, R, C);
    ['a, A, B, T: Element, const R: usize, const C: usize,] &'a Add<A, B, T, R, C> => (T, R, C);
    [A, B, T: Element, const R: usize, const K: usize, const C: usize,]
        MatMul<A, B, T, R, K, C> => (T, R, C);
    ['a, A, B, T: Element, const R: usize, const K: usize, const C: usize,]
        &'a MatMul<A, B, T, R, K, C> => (T, R, C);
    [A, B, T: Element, const R: usize, const C: usize,] Multiply<A, B, T, R, C> => (T, R, C);
    ['a, A, B, T: Element, const R: usize, const C: usize,]
        &'a Multiply<A, B, T, R, C> => (T, R, C);
    [A, T: Element, const R: usize, const C: usize,] Negative<A, T, R, C> => (T, R, C);
    ['a, A, T: Element, const R: usize, const C: usize,] &'a Negative<A, T, R, C> => (T, R, C);
    [A, T: Element, const R: usize, const C: usize,] Log<A, T, R, C> => (T, R, C);
    ['a, A, T: Element, const R: usize, const C: usize,] &'a Log<A, T, R, C> => (T, R, C);
    [Act: Activation, A, T: Element, const R: usize, const C: usize,]
        Activate<Act, A, T, R, C> => (T, R, C);
    ['a, Act: Activation, A, T: Element, const R: usize, const C: usize,]
        &'a Activate<Act, A, T, R, C> => (T, R, C);
    [A, T: Element, const R: usize, const C: usize,] ReduceSum<A, T, R, C> => (T, 1, 1);
    ['a, A, T: Element, const R: usize, const C: usize,] &'a ReduceSum<A, T, R, C> => (T, 1, 1);
    [A, T: Element, const R: usize, const C: usize,] ReduceSumAxis<A, T, 0, R, C> => (T, 1, C);
    ['a, A, T: Element, const R: usize, const C: usize,]
        &'a ReduceSumAxis<A, T, 0, R, C> => (T, 1, C);
    [A, T: Element, const R: usize, const C: usize,] ReduceSumAxis<A, T, 1, R, C> => (T, R, 1);
    ['a, A, T: Element, const R: usize, const C: usize,]
        &'a ReduceSumAxis<A, T, 1, R, C> => (T, R, 1);
}

/// Keeps the operands `(a, b)` of a product (`matmul`, `multiply`) for its backward pass,
/// where one follows (not in `Session::run`): the gradient of each operand reads the other,
/// so `a` is kept if a variable lies below `b` (`VB`), `b` if one lies below `a` (`VA`).
/// Each is a batch-sized copy: `matmul(x, w)` keeps the batch `x`, not the weights.
#[inline(always)]
fn keep_crosswise<T: Element, VA: PerParameter<T>, VB: PerParameter<T>, X: Copy, Y: Copy>(
    saved: &mut Option<(X, Y)>,
    pass: Pass,
    (a, b): (&X, &Y),
) {
    if !pass.backward_follows() {
        return;
    }
    let (keep_a, keep_b) = (reaches_variables::<T, VB>(), reaches_variables::<T, VA>());
    match saved {
        Some((kept_a, kept_b)) => {
            if keep_a {
                *kept_a = *a;
            }
            if keep_b {
                *kept_b = *b;
            }
        }
        None => *saved = Some((*a, *b)),
    }
}

/// Runs an element-wise pass over `values` values (an activation, `log`, their derivatives) in the
/// widest instruction set the processor has, as `network!`'s passes run
/// ([`kernels::isa::widest`](crate::kernels::isa::widest)): the same bits, wider vectors.
/// A value weighs 16 multiply-adds there: an activation is an `exp` and a division, `log` a
/// polynomial.
#[inline(always)]
fn elementwise<R>(values: usize, pass: impl FnOnce() -> R) -> R {
    crate::kernels::isa::widest(values * 16, pass)
}
