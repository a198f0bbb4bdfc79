//! Shape checks at the places where a network is used, with messages that name both
//! widths.
//!
//! A mismatched `Matrix` type would already fail to compile, but rustc would print
//! nalgebra's full storage types. Routing each use through one of these traits turns the
//! mistake into a sentence: `#[diagnostic::on_unimplemented]` prints the const-generic
//! values as plain numbers. Each trait holds only for equal widths, and then hands the
//! value back at the expected type.

use crate::{Element, Matrix};

/// The checker type whose trait bounds carry the messages; users never name it.
#[derive(Clone, Copy, Debug)]
pub struct Check;

/// The batch given to a network has `FOUND` features per sample; the network reads
/// `EXPECTED`.
#[diagnostic::on_unimplemented(
    message = "this network reads {EXPECTED} features per sample, but the input has {FOUND}",
    label = "a batch with {FOUND} columns; the network's input layer has width {EXPECTED}",
    note = "a batch of B samples with N features is a `Matrix<T, B, N>`: make N = {EXPECTED}"
)]
pub trait InputWidth<const FOUND: usize, const EXPECTED: usize> {
    /// The same batch, at the expected type.
    fn fit<T: Element, const B: usize>(x: &Matrix<T, B, FOUND>) -> &Matrix<T, B, EXPECTED>;
}

impl<const N: usize> InputWidth<N, N> for Check {
    #[inline(always)]
    fn fit<T: Element, const B: usize>(x: &Matrix<T, B, N>) -> &Matrix<T, B, N> {
        x
    }
}

/// The labels given to a network have `FOUND` columns; the network has `EXPECTED` outputs.
#[diagnostic::on_unimplemented(
    message = "this network has {EXPECTED} outputs, but the labels have {FOUND} columns",
    label = "labels with {FOUND} columns; the network's output layer has width {EXPECTED}",
    note = "labels are one row per sample with one column per output (one-hot for classes)"
)]
pub trait LabelWidth<const FOUND: usize, const EXPECTED: usize> {
    /// The same labels, at the expected type.
    fn fit<T: Element, const B: usize>(y: &Matrix<T, B, FOUND>) -> &Matrix<T, B, EXPECTED>;
}

impl<const N: usize> LabelWidth<N, N> for Check {
    #[inline(always)]
    fn fit<T: Element, const B: usize>(y: &Matrix<T, B, N>) -> &Matrix<T, B, N> {
        y
    }
}

/// The labels hold `FOUND` rows for a batch of `EXPECTED` samples.
#[diagnostic::on_unimplemented(
    message = "the batch has {EXPECTED} samples, but the labels have {FOUND} rows",
    label = "labels for {FOUND} samples",
    note = "give one label row per sample of the batch"
)]
pub trait SameBatch<const FOUND: usize, const EXPECTED: usize> {
    /// The same labels, at the expected type.
    fn fit<T: Element, const N: usize>(y: &Matrix<T, FOUND, N>) -> &Matrix<T, EXPECTED, N>;
}

impl<const B: usize> SameBatch<B, B> for Check {
    #[inline(always)]
    fn fit<T: Element, const N: usize>(y: &Matrix<T, B, N>) -> &Matrix<T, B, N> {
        y
    }
}
