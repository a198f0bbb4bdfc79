//! Shape checks at the places where a network is used, with messages that name the
//! widths.
//!
//! A mismatched `Matrix` type would already fail to compile, but rustc would print
//! nalgebra's full storage types, and it would first guess the width from the method's
//! signature and then blame the argument. Here the argument's own type is the generic
//! parameter, checked against a trait that only the right shape implements;
//! `#[diagnostic::on_unimplemented]` then prints the expected shape with its const-generic
//! values as plain numbers.

use crate::{Element, Matrix};

/// A batch of `B` samples with `N` features each, given to a network that reads `N`.
#[diagnostic::on_unimplemented(
    message = "this network reads batches `Matrix<{T}, B, {N}>` ({N} features per sample, in `{T}`), and this input is not one",
    label = "expected a `Matrix<{T}, B, {N}>`: B samples of {N} features",
    note = "a batch of B samples with N features is a `Matrix<T, B, N>`: one sample per row"
)]
pub trait InputBatch<T: Element, const B: usize, const N: usize> {
    /// The batch, at the expected type.
    fn as_batch(&self) -> &Matrix<T, B, N>;
}

impl<T: Element, const B: usize, const N: usize> InputBatch<T, B, N> for Matrix<T, B, N> {
    #[inline(always)]
    fn as_batch(&self) -> &Matrix<T, B, N> {
        self
    }
}

/// Labels for a batch of `B` samples, given to a network with `N` outputs.
#[diagnostic::on_unimplemented(
    message = "this network has {N} outputs, so the labels of this batch must be a `Matrix<{T}, {B}, {N}>`",
    label = "expected `Matrix<{T}, {B}, {N}>`: {B} samples of {N} outputs",
    note = "labels hold one row per sample of the batch and one column per output (one-hot for classes)"
)]
pub trait LabelBatch<T: Element, const B: usize, const N: usize> {
    /// The labels, at the expected type.
    fn as_labels(&self) -> &Matrix<T, B, N>;
}

impl<T: Element, const B: usize, const N: usize> LabelBatch<T, B, N> for Matrix<T, B, N> {
    #[inline(always)]
    fn as_labels(&self) -> &Matrix<T, B, N> {
        self
    }
}
