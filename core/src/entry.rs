//! The shape rules at a network's entry points, with messages that name both
//! shapes in words.
//!
//! A network's entry points (`forward`, `loss`, `train_step`) take any matrix and read its
//! element type and dimensions off its type ([`AsBatch`]); a rule that only the right
//! shape satisfies ([`Input`], [`Labels`]) then compares them with the network's. When
//! they differ, rustc prints the rule's `#[diagnostic::on_unimplemented]` message with
//! both shapes as plain numbers and types, at the argument.
//!
//! Two details keep that message short. The rule is asked of [`Samples`], the argument's
//! shape as a small type, not of the argument's own type: nalgebra's full matrix type
//! would fill the message (and rustc would write it to a file and say so). And the rule is
//! asked through the argument's [`AsBatch::Shape`], which rustc cannot know before it has
//! read the argument: a rule it could settle earlier, rustc would settle by taking its one
//! impl and making the two widths equal, and then blame the argument for not being the
//! width it guessed.

use crate::{Element, Matrix};
use core::marker::PhantomData;

/// A batch of `B` samples with `N` values of `T` each, as a network's entry point takes it:
/// a [`Matrix<T, B, N>`], one sample per row.
#[diagnostic::on_unimplemented(
    message = "a network takes its batches as matrices, and `{Self}` is not one",
    label = "expected a `Matrix<T, B, N>`: B samples of N values, one sample per row",
    note = "`ferroflow::matrix::from_rows([[..], [..]])` builds one from its rows"
)]
pub trait AsBatch<const B: usize, const N: usize> {
    /// The type of its values.
    type Element: Element;
    /// The batch's shape, as the shape rules see it.
    type Shape;

    /// The batch itself.
    fn matrix(&self) -> &Matrix<Self::Element, B, N>;
}

#[diagnostic::do_not_recommend]
impl<T: Element, const B: usize, const N: usize> AsBatch<B, N> for Matrix<T, B, N> {
    type Element = T;
    type Shape = Samples<T, B, N>;

    #[inline(always)]
    fn matrix(&self) -> &Matrix<T, B, N> {
        self
    }
}

/// `B` samples of `N` values of `T`: the shape of a batch, as a type that reads well in
/// error messages. Never built.
pub struct Samples<T, const B: usize, const N: usize>(PhantomData<T>);

/// A network that reads `N` features of `T` per sample is given a batch with `M` of `U`:
/// implemented when they are the same.
#[diagnostic::on_unimplemented(
    message = "this network reads {N} features of `{T}` per sample, but this batch has {M} of `{U}`",
    label = "{M} features of `{U}` per sample, where the network reads {N} of `{T}`"
)]
pub trait Input<T, const N: usize, U, const M: usize> {
    /// The batch, at the network's type.
    fn cast<const B: usize>(x: &Matrix<U, B, M>) -> &Matrix<T, B, N>;
}

impl<S: ?Sized, T, const N: usize> Input<T, N, T, N> for S {
    #[inline(always)]
    fn cast<const B: usize>(x: &Matrix<T, B, N>) -> &Matrix<T, B, N> {
        x
    }
}

/// A network with `K` outputs, given a batch of `B` samples, is given labels of `LB`
/// samples with `LK` values of `U`: implemented when they are `B` samples of `K` values of
/// the network's `T`.
#[diagnostic::on_unimplemented(
    message = "this batch has {B} samples and the network {K} outputs, so its labels are {B} rows of {K} `{T}`, but these are {LB} rows of {LK} `{U}`",
    label = "{LB} rows of {LK} `{U}`, where {B} rows of {K} `{T}` are needed",
    note = "labels hold one row per sample and one column per output (one-hot for classes)"
)]
pub trait Labels<T, const B: usize, const K: usize, U, const LB: usize, const LK: usize> {
    /// The labels, at the network's type.
    fn cast(labels: &Matrix<U, LB, LK>) -> &Matrix<T, B, K>;
}

impl<S: ?Sized, T, const B: usize, const K: usize> Labels<T, B, K, T, B, K> for S {
    #[inline(always)]
    fn cast(labels: &Matrix<T, B, K>) -> &Matrix<T, B, K> {
        labels
    }
}

/// `x` at the network's type: what a network's entry point passes on once its bounds have
/// checked the shape (they are repeated here so the conversion can be written once).
#[inline(always)]
pub fn input<T, const N: usize, const B: usize, const M: usize, X>(x: &X) -> &Matrix<T, B, N>
where
    X: AsBatch<B, M> + ?Sized,
    X::Shape: Input<T, N, X::Element, M>,
{
    <X::Shape as Input<T, N, X::Element, M>>::cast(x.matrix())
}

/// `labels` at the network's type, as [`input`] does for the batch.
#[inline(always)]
pub fn labels<T, const B: usize, const K: usize, const LB: usize, const LK: usize, L>(
    labels: &L,
) -> &Matrix<T, B, K>
where
    L: AsBatch<LB, LK> + ?Sized,
    L::Shape: Labels<T, B, K, L::Element, LB, LK>,
{
    <L::Shape as Labels<T, B, K, L::Element, LB, LK>>::cast(labels.matrix())
}
