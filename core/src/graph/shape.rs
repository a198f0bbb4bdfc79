//! The shape rules where two nodes meet, as traits whose messages name the dimensions.
//!
//! Each rule is a trait implemented exactly when the rule holds, and each operation that
//! builds a node asks it of an operand, so a mismatch is reported at the call that builds
//! the wrong node, in words: rustc prints the const generics of an unimplemented trait as
//! numbers in its `#[diagnostic::on_unimplemented]` message. Users never implement or name
//! these traits; they appear only in error messages.
//!
//! The rules are implemented for every type and asked of the operand (`B: AddRows<R, R2>`)
//! rather than of a fixed type such as `()`: rustc would settle a bound on `()` as soon as
//! the call is seen, before reading the operands' shapes, by taking its only impl and
//! making the two dimensions equal; a shape mismatch would then surface as a confusing
//! error deep inside an operand. A bound on the operand waits for the operand's type.

use crate::Element;
use core::marker::PhantomData;

/// Both operands of an operation hold the same element type.
#[diagnostic::on_unimplemented(
    message = "cannot mix `{T}` and `{U}` in one graph",
    label = "one operand holds `{T}`, the other `{U}`",
    note = "every node of a graph computes in one element type: declare them all `f32` or all `f64`"
)]
pub trait SameElement<T, U> {}
impl<N: ?Sized, T: Element> SameElement<T, T> for N {}

/// `add(a, b)`: both operands have `R` rows.
#[diagnostic::on_unimplemented(
    message = "add needs operands with the same number of rows, but the left one has {R} rows and the right one {R2}",
    label = "adding a matrix of {R} rows to one of {R2} rows",
    note = "to add a bias row to every sample of a batch, make the bias a `Bias`"
)]
pub trait AddRows<const R: usize, const R2: usize> {}
impl<N: ?Sized, const R: usize> AddRows<R, R> for N {}

/// `add(a, b)`: both operands have `C` columns.
#[diagnostic::on_unimplemented(
    message = "add needs operands with the same number of columns, but the left one has {C} columns and the right one {C2}",
    label = "adding a matrix of {C} columns to one of {C2} columns"
)]
pub trait AddColumns<const C: usize, const C2: usize> {}
impl<N: ?Sized, const C: usize> AddColumns<C, C> for N {}

/// `multiply(a, b)`: both operands have `R` rows.
#[diagnostic::on_unimplemented(
    message = "multiply (element by element) needs operands with the same number of rows, but the left one has {R} rows and the right one {R2}",
    label = "multiplying a matrix of {R} rows by one of {R2} rows"
)]
pub trait MultiplyRows<const R: usize, const R2: usize> {}
impl<N: ?Sized, const R: usize> MultiplyRows<R, R> for N {}

/// `multiply(a, b)`: both operands have `C` columns.
#[diagnostic::on_unimplemented(
    message = "multiply (element by element) needs operands with the same number of columns, but the left one has {C} columns and the right one {C2}",
    label = "multiplying a matrix of {C} columns by one of {C2} columns",
    note = "multiplying labels by probabilities needs as many label columns as there are classes"
)]
pub trait MultiplyColumns<const C: usize, const C2: usize> {}
impl<N: ?Sized, const C: usize> MultiplyColumns<C, C> for N {}

/// `matmul(a, b)`: the columns of `a` are as many as the rows of `b`.
#[diagnostic::on_unimplemented(
    message = "matmul needs the left operand's columns to match the right operand's rows, but the left one has {K} columns and the right one {K2} rows",
    label = "inner dimensions {K} and {K2} differ",
    note = "matmul multiplies an R×K matrix by a K×C matrix into an R×C matrix"
)]
pub trait InnerDimensions<const K: usize, const K2: usize> {}
impl<N: ?Sized, const K: usize> InnerDimensions<K, K> for N {}

/// `reduce_sum_axis(a, Axis::<AXIS>)`: a matrix has axis 0 and axis 1.
#[diagnostic::on_unimplemented(
    message = "a {R}×{C} matrix has axis 0 (down its {R} rows) and axis 1 (across its {C} columns), not axis {AXIS}",
    label = "no axis {AXIS}",
    note = "reduce_sum(x) sums everything, reduce_sum_axis(x, Axis::<0>) sums each column, reduce_sum_axis(x, Axis::<1>) each row"
)]
pub trait ValidAxis<const AXIS: usize, const R: usize, const C: usize> {}
impl<N: ?Sized, const R: usize, const C: usize> ValidAxis<0, R, C> for N {}
impl<N: ?Sized, const R: usize, const C: usize> ValidAxis<1, R, C> for N {}

/// The loss handed to [`compute_gradients`](super::compute_gradients) or
/// [`minimize`](super::Minimize::minimize) is a 1 × 1 scalar.
#[diagnostic::on_unimplemented(
    message = "a loss is a 1×1 scalar, but this node is a {R}×{C} matrix",
    label = "a {R}×{C} matrix, not a scalar",
    note = "sum it to a scalar first, as the tutorial's loss does with reduce_sum"
)]
pub trait ScalarLoss<const R: usize, const C: usize> {}
impl<N: ?Sized> ScalarLoss<1, 1> for N {}

/// The shape of any node of an `R × C` matrix of `T`, as a type: [`MatrixOf<T, R, C>`].
/// The operations ask their rules of it rather than of the operand's own type, so that a
/// message shows `MatrixOf<f64, 100, 2>` rather than a whole graph's type; and through
/// this projection, which rustc cannot resolve before it knows the operand.
pub trait ShapeOf<T, const R: usize, const C: usize> {
    /// `MatrixOf<T, R, C>`.
    type Shape;
}

impl<N: super::Node<T, R, C> + ?Sized, T: Element, const R: usize, const C: usize> ShapeOf<T, R, C>
    for N
{
    type Shape = MatrixOf<T, R, C>;
}

/// A node's shape as a type: what the `+` operator reads off its right operand, whose type
/// may be any node. Implemented by every node type of ferroflow and references to them.
pub trait Operand {
    /// [`MatrixOf`] for a node of one shape, [`RowOf`] for a bias (any number of rows).
    type Shape;
}

/// The shape of a node: an `R × C` matrix of `T`. Never built.
pub struct MatrixOf<T, const R: usize, const C: usize>(PhantomData<T>);

/// The shape of a [`Bias`](super::Bias): one row of `C` values of `T`, added to every row.
/// Never built.
pub struct RowOf<T, const C: usize>(PhantomData<T>);

/// `a + b`: the right operand's shape (`Self`) fits the left operand, an `R × C` matrix of
/// `T`.
///
/// The sum's type comes from this rule ([`Sum`](AddsTo::Sum)), so when the rule fails the
/// sum has no type and rustc reports the mismatch once, at the `+`, not again wherever the
/// sum is used.
#[diagnostic::on_unimplemented(
    message = "`+` adds operands of one shape, but the left one is a {R}×{C} matrix of `{T}` and the right one a `{Self}`",
    label = "does not fit a {R}×{C} matrix of `{T}` (a bias adds one row to every row: its columns must match)"
)]
pub trait AddsTo<T, const R: usize, const C: usize> {
    /// The node `a + b`.
    type Sum<A, B>;

    /// Builds `a + b`.
    fn sum<A, B>(a: A, b: B) -> Self::Sum<A, B>;
}
#[diagnostic::do_not_recommend]
impl<T: Element, const R: usize, const C: usize> AddsTo<T, R, C> for MatrixOf<T, R, C> {
    type Sum<A, B> = super::Add<A, B, T, R, C>;

    #[inline]
    fn sum<A, B>(a: A, b: B) -> Self::Sum<A, B> {
        super::Add::new(a, b)
    }
}
#[diagnostic::do_not_recommend]
impl<T: Element, const R: usize, const C: usize> AddsTo<T, R, C> for RowOf<T, C> {
    type Sum<A, B> = super::Add<A, B, T, R, C>;

    #[inline]
    fn sum<A, B>(a: A, b: B) -> Self::Sum<A, B> {
        super::Add::new(a, b)
    }
}
