//! Feeds: the values a graph's placeholders take when it runs, and the compile-time check
//! that a feed supplies what a graph reads.
//!
//! A feed is a tuple whose element `i` is the value of the placeholders at position `i`
//! (a lone matrix feeds position 0; `()` feeds a graph without placeholders). Positions
//! go up to 5.
//!
//! # How a feed is checked
//! Every node knows, in its type, what its placeholders read: its
//! [`Node::Placeholders`](super::Node::Placeholders), six entries, one per position of the
//! feed, each a [`MatrixOf<T, R, C>`] (a placeholder there reads an `R × C` matrix of `T`)
//! or [`Unread`]. The entry points that take a feed ([`Session::run`](super::Session::run),
//! [`compute_gradients`](super::compute_gradients),
//! [`Minimization::step`](super::Minimization::step)) ask of the feed's shape
//! ([`Feed::Shape`]), position by position, that it supplies what is read there
//! ([`FeedsAt`]). A feed that misses a placeholder, or has the wrong shape or element type
//! at one, is then one short error at the feed, which names the position and the matrix
//! it needs.
//!
//! Those entry points evaluate the graph on [`Checked`], the feed's own type when every
//! position fits and no type at all when one does not: so a wrong feed is reported once,
//! by its position's check, and not again by the evaluation.

use super::shape::MatrixOf;
use crate::{Element, Matrix};
use core::any::Any;

/// A feed that supplies an `R × C` matrix of `T` for the placeholder at position `SLOT`:
/// how a placeholder reads its value.
///
/// Implemented by a lone matrix (position 0) and by tuples of up to six matrices
/// (position `i` is element `i`).
#[diagnostic::on_unimplemented(
    message = "the feed has no {R}×{C} matrix of `{T}` at position {SLOT} for placeholder {SLOT}",
    label = "placeholder {SLOT} needs a `Matrix<{T}, {R}, {C}>` at position {SLOT} of the feed",
    note = "a feed is a tuple whose element i feeds the placeholder at position i; a lone matrix feeds position 0"
)]
pub trait Feeds<T: Element, const R: usize, const C: usize, const SLOT: usize> {
    /// The value of the placeholder at position `SLOT`.
    fn value(&self) -> &Matrix<T, R, C>;
}

impl<T: Element, const R: usize, const C: usize> Feeds<T, R, C, 0> for Matrix<T, R, C> {
    #[inline]
    fn value(&self) -> &Matrix<T, R, C> {
        self
    }
}

/// A feed's shape as a type: [`MatrixOf`] for a matrix, the tuple of its elements' shapes
/// for a tuple, `()` for `()`. The checks are made on it rather than on the feed, so that
/// a message shows `(MatrixOf<f64, 100, 2>,)` rather than nalgebra's full matrix type.
///
/// Sealed: a feed's shape is what its values are, which the [`Shared`](super::Shared)
/// handles rely on when they read it back through [`AnyFeed`].
#[diagnostic::on_unimplemented(
    message = "a feed is a matrix or a tuple of matrices, and `{Self}` is not",
    label = "not a feed",
    note = "a feed is a tuple whose element i feeds the placeholder at position i; a lone matrix feeds position 0"
)]
pub trait Feed: sealed::Sealed + 'static {
    /// The shape.
    type Shape;
}

impl Feed for () {
    type Shape = ();
}

impl<T: Element, const R: usize, const C: usize> Feed for Matrix<T, R, C> {
    type Shape = MatrixOf<T, R, C>;
}

/// Nothing reads this position of the feed.
#[derive(Clone, Copy, Debug)]
pub struct Unread;

/// A feed's shape (`Self`) supplies what the graph reads at position `SLOT`: anything if
/// nothing reads it ([`Unread`]), a matrix of the shape `Need` otherwise.
#[diagnostic::on_unimplemented(
    message = "position {SLOT} of the feed must hold a `{Need}` for the placeholder that reads it, but the feed is `{Self}`",
    label = "no `{Need}` at position {SLOT}"
)]
pub trait FeedsAt<const SLOT: usize, Need> {
    /// `X`: what [`Checked`] is built from.
    type Then<X: 'static>: 'static;

    /// `x`, at the type [`Then`](FeedsAt::Then) names.
    fn pass<X: 'static>(x: &X) -> &Self::Then<X>;
}

/// One impl for every feed shape and position, so that a failure is reported as this rule
/// (with its message, at the feed) rather than as a part of it.
#[diagnostic::do_not_recommend]
impl<S: ?Sized + At<SLOT>, Need, const SLOT: usize> FeedsAt<SLOT, Need> for S
where
    S::Element: Matches<Need>,
{
    type Then<X: 'static> = <S::Element as Matches<Need>>::Then<X>;

    #[inline(always)]
    fn pass<X: 'static>(x: &X) -> &Self::Then<X> {
        <S::Element as Matches<Need>>::pass(x)
    }
}

/// The element at position `SLOT` of a feed's shape: a [`MatrixOf`], or [`Missing`] past
/// the end of the feed.
pub trait At<const SLOT: usize> {
    /// The element there.
    type Element;
}

/// Past the end of a feed: no value at this position.
pub struct Missing;

/// A feed's element (`Self`) satisfies what is read at its position: anything when
/// nothing is read, the same matrix shape when a placeholder reads it.
pub trait Matches<Need> {
    /// `X`, when it matches: what [`Checked`] is built from. Without a match there is no
    /// such type, and so no [`Checked`] type.
    type Then<X: 'static>: 'static;

    /// `x`, at the type [`Then`](Matches::Then) names.
    fn pass<X: 'static>(x: &X) -> &Self::Then<X>;
}

impl<E: ?Sized> Matches<Unread> for E {
    type Then<X: 'static> = X;

    #[inline(always)]
    fn pass<X: 'static>(x: &X) -> &X {
        x
    }
}

impl<T, const R: usize, const C: usize> Matches<MatrixOf<T, R, C>> for MatrixOf<T, R, C> {
    type Then<X: 'static> = X;

    #[inline(always)]
    fn pass<X: 'static>(x: &X) -> &X {
        x
    }
}

/// `()` and a lone matrix at every position.
macro_rules! lone_positions {
    ($($slot:tt)*) => {$(
        impl At<$slot> for () {
            type Element = Missing;
        }
    )*};
}

lone_positions!(0 1 2 3 4 5);

impl<T, const R: usize, const C: usize> At<0> for MatrixOf<T, R, C> {
    type Element = Self;
}

macro_rules! past_a_lone_matrix {
    ($($slot:tt)*) => {$(
        impl<T, const R: usize, const C: usize> At<$slot> for MatrixOf<T, R, C> {
            type Element = Missing;
        }
    )*};
}

past_a_lone_matrix!(1 2 3 4 5);

/// For the tuples of up to six elements: `Feed`, `At` past their end, and at each position
/// `Feeds` (the value, where the element there is the matrix) and `At` (the element of the
/// shape).
macro_rules! tuple_feeds {
    (tuples: $(($($all:ident),*))*; positions: $($slot:tt: ($($before:ident),*) _ ($($after:ident),*);)*) => {
        $(
            impl<$($all: Feed),*> Feed for ($($all,)*) {
                type Shape = ($($all::Shape,)*);
            }

        )*
        $(
            impl<T: Element, const R: usize, const C: usize, $($before,)* $($after,)*>
                Feeds<T, R, C, $slot> for ($($before,)* Matrix<T, R, C>, $($after,)*)
            {
                #[inline]
                fn value(&self) -> &Matrix<T, R, C> {
                    &self.$slot
                }
            }

            impl<E, $($before,)* $($after,)*> At<$slot> for ($($before,)* E, $($after,)*) {
                type Element = E;
            }
        )*
    };
}

tuple_feeds! {
    tuples:
        (A0)
        (A0, A1)
        (A0, A1, A2)
        (A0, A1, A2, A3)
        (A0, A1, A2, A3, A4)
        (A0, A1, A2, A3, A4, A5);
    positions:
        0: () _ ();
        0: () _ (B1);
        1: (A0) _ ();
        0: () _ (B1, B2);
        1: (A0) _ (B2);
        2: (A0, A1) _ ();
        0: () _ (B1, B2, B3);
        1: (A0) _ (B2, B3);
        2: (A0, A1) _ (B3);
        3: (A0, A1, A2) _ ();
        0: () _ (B1, B2, B3, B4);
        1: (A0) _ (B2, B3, B4);
        2: (A0, A1) _ (B3, B4);
        3: (A0, A1, A2) _ (B4);
        4: (A0, A1, A2, A3) _ ();
        0: () _ (B1, B2, B3, B4, B5);
        1: (A0) _ (B2, B3, B4, B5);
        2: (A0, A1) _ (B3, B4, B5);
        3: (A0, A1, A2) _ (B4, B5);
        4: (A0, A1, A2, A3) _ (B5);
        5: (A0, A1, A2, A3, A4) _ ();
}

mod sealed {
    /// Implemented by the feeds ferroflow defines, and nothing else.
    pub trait Sealed {}

    impl<T: crate::Element, const R: usize, const C: usize> Sealed for crate::Matrix<T, R, C> {}
    impl Sealed for () {}
    impl<A0> Sealed for (A0,) {}
    impl<A0, A1> Sealed for (A0, A1) {}
    impl<A0, A1, A2> Sealed for (A0, A1, A2) {}
    impl<A0, A1, A2, A3> Sealed for (A0, A1, A2, A3) {}
    impl<A0, A1, A2, A3, A4> Sealed for (A0, A1, A2, A3, A4) {}
    impl<A0, A1, A2, A3, A4, A5> Sealed for (A0, A1, A2, A3, A4, A5) {}
}

/// A feed whose type says nothing of its shape: the matrix at each position behind
/// `dyn Any`. What the nodes behind a [`Shared`](super::Shared) handle are evaluated on, so
/// that the handle's type need not name theirs.
///
/// Nothing is checked against it: the feed it is made from was checked, at the entry point,
/// against everything the graph reads, the shared nodes' placeholders included.
#[derive(Clone, Copy)]
pub struct AnyFeed<'f>([Option<&'f dyn Any>; 6]);

impl core::fmt::Debug for AnyFeed<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let held: [bool; 6] = self.0.map(|slot| slot.is_some());
        f.debug_struct("AnyFeed").field("positions held", &held).finish()
    }
}

impl<T: Element, const R: usize, const C: usize, const SLOT: usize> Feeds<T, R, C, SLOT>
    for AnyFeed<'_>
{
    #[inline]
    fn value(&self) -> &Matrix<T, R, C> {
        match self.0.get(SLOT).copied().flatten().and_then(|value| value.downcast_ref()) {
            Some(value) => value,
            None => panic!(
                "a shared node reads a {R}×{C} matrix of `{}` at position {SLOT} of a feed \
                 that holds no such matrix there: evaluate the graph through Session::run, \
                 compute_gradients or a Minimization, which check the feed first",
                core::any::type_name::<T>()
            ),
        }
    }
}

/// A feed seen as an [`AnyFeed`]: matrices, `()`, tuples of up to six matrices, and an
/// `AnyFeed` itself.
pub trait AsAnyFeed {
    /// The same values, by position.
    fn as_any_feed(&self) -> AnyFeed<'_>;
}

impl AsAnyFeed for AnyFeed<'_> {
    #[inline]
    fn as_any_feed(&self) -> AnyFeed<'_> {
        *self
    }
}

impl<T: Element, const R: usize, const C: usize> AsAnyFeed for Matrix<T, R, C> {
    #[inline]
    fn as_any_feed(&self) -> AnyFeed<'_> {
        AnyFeed([Some(self), None, None, None, None, None])
    }
}

impl AsAnyFeed for () {
    #[inline]
    fn as_any_feed(&self) -> AnyFeed<'_> {
        AnyFeed([None; 6])
    }
}

macro_rules! any_feeds {
    ($(($($all:ident $index:tt),*))*) => {$(
        impl<$($all: Feed),*> AsAnyFeed for ($($all,)*) {
            #[inline]
            fn as_any_feed(&self) -> AnyFeed<'_> {
                let mut slots: [Option<&dyn Any>; 6] = [None; 6];
                $(slots[$index] = Some(&self.$index);)*
                AnyFeed(slots)
            }
        }
    )*};
}

any_feeds! {
    (A0 0)
    (A0 0, A1 1)
    (A0 0, A1 1, A2 2)
    (A0 0, A1 1, A2 2, A3 3)
    (A0 0, A1 1, A2 2, A3 3, A4 4)
    (A0 0, A1 1, A2 2, A3 3, A4 4, A5 5)
}

/// The positions past the end of each tuple: nothing there.
macro_rules! past_the_end {
    ($($tuple:tt $($slot:literal)*;)*) => {$($(past_the_end!(@one $tuple $slot);)*)*};
    (@one ($($all:ident),*) $slot:tt) => {
        impl<$($all),*> At<$slot> for ($($all,)*) {
            type Element = Missing;
        }
    };
}

past_the_end! {
    (A0) 1 2 3 4 5;
    (A0, A1) 2 3 4 5;
    (A0, A1, A2) 3 4 5;
    (A0, A1, A2, A3) 4 5;
    (A0, A1, A2, A3, A4) 5;
}

/// What a node's placeholders read: one entry per position of the feed. A node without
/// placeholders reads this.
pub type ReadsNothing = (Unread, Unread, Unread, Unread, Unread, Unread);

/// The entry at position `SLOT` of a [`Node::Placeholders`](super::Node::Placeholders)
/// tuple.
pub trait Position<const SLOT: usize> {
    /// What is read there.
    type Read;
}

/// What the placeholder at position `SLOT` that reads `Need` reads, as a whole tuple.
#[diagnostic::on_unimplemented(
    message = "a feed has positions 0 to 5, so no placeholder can read at `{Self}`",
    label = "no such position"
)]
pub trait Place<Need> {
    /// `Need` at position `SLOT`, [`Unread`] elsewhere.
    type Placeholders: super::node::Reads;
}

/// A placeholder's position, as a type.
pub struct Slot<const SLOT: usize>;

/// Two entries of one position, from the two operands of an operation: one of them, or
/// both when they agree. Two placeholders that read one position as different matrices
/// have no merge: the graph is not a node.
#[diagnostic::on_unimplemented(
    message = "two placeholders of this graph read one position of the feed, one as a `{Self}` and the other as a `{Other}`",
    label = "no feed can hold both",
    note = "give each placeholder its own position (its last generic parameter), or make them one placeholder"
)]
pub trait Merge<Other> {
    /// The merged entry.
    type Output;
}

impl<X> Merge<X> for Unread {
    type Output = X;
}

impl<T, const R: usize, const C: usize> Merge<Unread> for MatrixOf<T, R, C> {
    type Output = Self;
}

impl<T, const R: usize, const C: usize> Merge<MatrixOf<T, R, C>> for MatrixOf<T, R, C> {
    type Output = Self;
}

/// Two operands' placeholders, merged position by position.
pub trait MergeReads<Other> {
    /// The merged tuple.
    type Output;
}

impl<A0, A1, A2, A3, A4, A5, B0, B1, B2, B3, B4, B5> MergeReads<(B0, B1, B2, B3, B4, B5)>
    for (A0, A1, A2, A3, A4, A5)
where
    A0: Merge<B0>,
    A1: Merge<B1>,
    A2: Merge<B2>,
    A3: Merge<B3>,
    A4: Merge<B4>,
    A5: Merge<B5>,
{
    type Output = (A0::Output, A1::Output, A2::Output, A3::Output, A4::Output, A5::Output);
}

/// For each position: `Position` of the six-entry tuples, and `Place` of a placeholder
/// there.
macro_rules! positions {
    ($($slot:tt: ($($before:ident),*) _ ($($after:ident),*);)*) => {$(
        impl<A0, A1, A2, A3, A4, A5> Position<$slot> for (A0, A1, A2, A3, A4, A5) {
            type Read = positions!(@pick $slot A0 A1 A2 A3 A4 A5);
        }

        impl<Need> Place<Need> for Slot<$slot> {
            type Placeholders = ($($before,)* Need, $($after,)*);
        }
    )*};
    (@pick 0 $a0:ident $($rest:ident)*) => { $a0 };
    (@pick 1 $a0:ident $a1:ident $($rest:ident)*) => { $a1 };
    (@pick 2 $a0:ident $a1:ident $a2:ident $($rest:ident)*) => { $a2 };
    (@pick 3 $a0:ident $a1:ident $a2:ident $a3:ident $($rest:ident)*) => { $a3 };
    (@pick 4 $a0:ident $a1:ident $a2:ident $a3:ident $a4:ident $($rest:ident)*) => { $a4 };
    (@pick 5 $a0:ident $a1:ident $a2:ident $a3:ident $a4:ident $a5:ident) => { $a5 };
}

positions! {
    0: () _ (Unread, Unread, Unread, Unread, Unread);
    1: (Unread) _ (Unread, Unread, Unread, Unread);
    2: (Unread, Unread) _ (Unread, Unread, Unread);
    3: (Unread, Unread, Unread) _ (Unread, Unread);
    4: (Unread, Unread, Unread, Unread) _ (Unread);
    5: (Unread, Unread, Unread, Unread, Unread) _ ();
}

/// What node `N` (of shape `T`, `R × C`) reads at position `SLOT` of its feed.
pub type Read<N, T, const R: usize, const C: usize, const SLOT: usize> =
    <<N as super::Node<T, R, C>>::Placeholders as Position<SLOT>>::Read;

/// One step of [`Checked`]: `X`, if the shape `S` supplies `Need` at `SLOT`.
type Then<S, const SLOT: usize, Need, X> = <S as FeedsAt<SLOT, Need>>::Then<X>;

/// The feed type `F`, when it supplies every position that node `N` reads; no type when it
/// does not. What the checked entry points evaluate `N` on.
pub type Checked<F, N, T, const R: usize, const C: usize> = Then<
    <F as Feed>::Shape,
    0,
    Read<N, T, R, C, 0>,
    Then<
        <F as Feed>::Shape,
        1,
        Read<N, T, R, C, 1>,
        Then<
            <F as Feed>::Shape,
            2,
            Read<N, T, R, C, 2>,
            Then<
                <F as Feed>::Shape,
                3,
                Read<N, T, R, C, 3>,
                Then<
                    <F as Feed>::Shape,
                    4,
                    Read<N, T, R, C, 4>,
                    Then<<F as Feed>::Shape, 5, Read<N, T, R, C, 5>, F>,
                >,
            >,
        >,
    >,
>;

/// `feed`, at the type [`Checked`] names: the same value, once the checks hold.
#[inline(always)]
pub(crate) fn checked<F, N, T: Element, const R: usize, const C: usize>(
    feed: &F,
) -> &Checked<F, N, T, R, C>
where
    N: super::Node<T, R, C>,
    F: Feed,
    F::Shape: FeedsAt<0, Read<N, T, R, C, 0>>
        + FeedsAt<1, Read<N, T, R, C, 1>>
        + FeedsAt<2, Read<N, T, R, C, 2>>
        + FeedsAt<3, Read<N, T, R, C, 3>>
        + FeedsAt<4, Read<N, T, R, C, 4>>
        + FeedsAt<5, Read<N, T, R, C, 5>>,
{
    type S<F> = <F as Feed>::Shape;
    let feed = <S<F> as FeedsAt<5, Read<N, T, R, C, 5>>>::pass(feed);
    let feed = <S<F> as FeedsAt<4, Read<N, T, R, C, 4>>>::pass(feed);
    let feed = <S<F> as FeedsAt<3, Read<N, T, R, C, 3>>>::pass(feed);
    let feed = <S<F> as FeedsAt<2, Read<N, T, R, C, 2>>>::pass(feed);
    let feed = <S<F> as FeedsAt<1, Read<N, T, R, C, 1>>>::pass(feed);
    <S<F> as FeedsAt<0, Read<N, T, R, C, 0>>>::pass(feed)
}
