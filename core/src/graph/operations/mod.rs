//! The operations of the tutorial as graph nodes, one file each. Each node's forward and
//! backward passes call the functions of [`crate::ops`], so the numerical work lives in
//! one place and the graph is typed glue.
//!
//! Every node type also gets the operators `+` ([`add`]) and unary `-` ([`negative`]), as
//! do references to nodes. `*` is left out on purpose: numpy reads it as the element-wise
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

use super::{Bias, Constant, Placeholder, Variable};
use crate::Element;

/// Gives each listed node type (written with its generic parameters in brackets) the
/// operators `+` and unary `-`. A blanket impl over every node is not allowed by the orphan
/// rules, hence the list.
macro_rules! operators {
    ($([$($generics:tt)*] $node:ty;)*) => {$(
        impl<$($generics)* Rhs> core::ops::Add<Rhs> for $node {
            type Output = Add<Self, Rhs>;

            /// The tutorial's `add`; shapes are checked where the sum is used.
            #[inline]
            fn add(self, rhs: Rhs) -> Add<Self, Rhs> {
                Add::new(self, rhs)
            }
        }

        impl<$($generics)*> core::ops::Neg for $node {
            type Output = Negative<Self>;

            /// The tutorial's `negative`.
            #[inline]
            fn neg(self) -> Negative<Self> {
                Negative::new(self)
            }
        }
    )*};
}

operators! {
    [T: Element, const R: usize, const C: usize, const SLOT: usize,] Placeholder<T, R, C, SLOT>;
    ['a, T: Element, const R: usize, const C: usize, const SLOT: usize,]
        &'a Placeholder<T, R, C, SLOT>;
    [T: Element, const R: usize, const C: usize,] Variable<T, R, C>;
    ['a, T: Element, const R: usize, const C: usize,] &'a Variable<T, R, C>;
    [T: Element, const C: usize,] Bias<T, C>;
    ['a, T: Element, const C: usize,] &'a Bias<T, C>;
    [T: Element, const R: usize, const C: usize,] Constant<T, R, C>;
    ['a, T: Element, const R: usize, const C: usize,] &'a Constant<T, R, C>;
    [A, B,] Add<A, B>;
    ['a, A, B,] &'a Add<A, B>;
    [A, B, const K: usize,] MatMul<A, B, K>;
    ['a, A, B, const K: usize,] &'a MatMul<A, B, K>;
    [A, B,] Multiply<A, B>;
    ['a, A, B,] &'a Multiply<A, B>;
    [A,] Negative<A>;
    ['a, A,] &'a Negative<A>;
    [A,] Log<A>;
    ['a, A,] &'a Log<A>;
    [Act, A,] Activate<Act, A>;
    ['a, Act, A,] &'a Activate<Act, A>;
    [A, const R: usize, const C: usize,] ReduceSum<A, R, C>;
    ['a, A, const R: usize, const C: usize,] &'a ReduceSum<A, R, C>;
    [A, const AXIS: usize, const R: usize, const C: usize,] ReduceSumAxis<A, AXIS, R, C>;
    ['a, A, const AXIS: usize, const R: usize, const C: usize,] &'a ReduceSumAxis<A, AXIS, R, C>;
}
