//! Where a network's passes keep their temporaries: every layer's output and every
//! gradient of a batch, which grow with the batch (a 256 × 1024 `f32` matrix is 1 MiB).
//!
//! `network!` writes each pass into a workspace of its own, a struct of [`Store::Slot`]s,
//! instead of returning matrices by value: a value of that size on the stack overflows a
//! thread's stack (8 MiB for `main`, 2 MiB for a spawned thread), in a debug build most
//! of all, where every call keeps its own copy.
//!
//! - A step whose workspace takes at most [`STACK_LIMIT`] bytes keeps it on the stack
//!   ([`Stack`]): small networks never touch the heap, as on a microcontroller.
//! - Above it, with the `alloc` feature, the workspace lives on the heap ([`Heap`]), each
//!   matrix allocated zeroed in place. With `std` it is cached per thread ([`cached`]):
//!   allocated on a thread's first step at that batch size, reused by every later one,
//!   so training allocates nothing per step. With `alloc` alone (no thread-local storage)
//!   it is allocated for each step.
//! - Without `alloc` everything stays on the stack, however large: a network's
//!   `stack_bytes::<B>()` is what a training step at batch `B` puts there (its workspace,
//!   and the fused update's packing block, [`update_bytes`]), a constant a firmware can
//!   check at compile time.

use crate::{Element, Matrix};
use core::ops::DerefMut;

/// The largest workspace kept on the stack when there is a heap: 64 KiB, a small share
/// of the smallest stack a host thread usually has (2 MiB). Without `alloc`, every
/// workspace is kept on the stack, and this is `usize::MAX`.
pub const STACK_LIMIT: usize = if cfg!(feature = "alloc") { 64 * 1024 } else { usize::MAX };

/// The stack the fused update of a layer reading `inputs` features
/// (`Perceptron::train_update`) takes for a batch of `batch` samples of `T` in an
/// optimized build: its kernel packs up to 64 inputs of every sample at a time (the
/// `packed` block of `kernels::update`), for a layer of at least 8 inputs; smaller layers
/// use a buffer that does not grow with the batch. A debug build keeps one such block per
/// instruction set and block width in one frame, several times as much.
pub const fn update_bytes<T>(batch: usize, inputs: usize) -> usize {
    if inputs < 8 { 0 } else { batch * 64 * core::mem::size_of::<T>() }
}

/// Whether a workspace of `bytes` is kept on the stack (see [`STACK_LIMIT`]).
#[inline(always)]
pub const fn on_stack(bytes: usize) -> bool {
    bytes <= STACK_LIMIT
}

/// Runs `run` in a stack frame of its own, never inlined into the caller: a network keeps
/// a stack workspace in that frame, so the caller's frame stays small when the workspace
/// is on the heap instead (both paths are compiled; only one runs).
#[inline(never)]
pub fn in_own_frame<R>(run: impl FnOnce() -> R) -> R {
    run()
}

/// Where the matrices of a workspace live.
pub trait Store: 'static {
    /// One matrix of a workspace.
    type Slot<T: Element, const R: usize, const C: usize>: DerefMut<Target = Matrix<T, R, C>>
        + 'static;

    /// A matrix of zeros, where this store keeps it.
    fn zeros<T: Element, const R: usize, const C: usize>() -> Self::Slot<T, R, C>;
}

/// Matrices inline in the workspace, so on the stack with it.
#[derive(Debug)]
pub struct Stack;

/// A matrix held inline by a [`Stack`] workspace.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Inline<T: Element, const R: usize, const C: usize>(pub Matrix<T, R, C>);

impl<T: Element, const R: usize, const C: usize> Inline<T, R, C> {
    /// A matrix of zeros, as a constant: `network!` starts a stack workspace from one, so a
    /// debug build copies it once into place instead of building it field by field.
    pub const ZEROS: Self = Self(crate::matrix::zeros());
}

impl<T: Element, const R: usize, const C: usize> core::ops::Deref for Inline<T, R, C> {
    type Target = Matrix<T, R, C>;
    #[inline(always)]
    fn deref(&self) -> &Matrix<T, R, C> {
        &self.0
    }
}

impl<T: Element, const R: usize, const C: usize> DerefMut for Inline<T, R, C> {
    #[inline(always)]
    fn deref_mut(&mut self) -> &mut Matrix<T, R, C> {
        &mut self.0
    }
}

impl Store for Stack {
    type Slot<T: Element, const R: usize, const C: usize> = Inline<T, R, C>;

    #[inline(always)]
    fn zeros<T: Element, const R: usize, const C: usize>() -> Inline<T, R, C> {
        Inline::ZEROS
    }
}

/// Each matrix in a `Box` of its own, allocated zeroed on the heap (never built on the
/// stack first).
#[cfg(feature = "alloc")]
#[derive(Debug)]
pub struct Heap;

/// Without `alloc` there is no heap: [`Stack`] (never used for a step, since every
/// workspace is then kept on the stack; see [`STACK_LIMIT`]).
#[cfg(not(feature = "alloc"))]
pub type Heap = Stack;

#[cfg(feature = "alloc")]
impl Store for Heap {
    type Slot<T: Element, const R: usize, const C: usize> = alloc::boxed::Box<Matrix<T, R, C>>;

    fn zeros<T: Element, const R: usize, const C: usize>() -> Self::Slot<T, R, C> {
        <T as crate::element::sealed::Sealed>::zeroed_box()
    }
}

/// Runs `run` on a workspace of type `W` made by `make`.
///
/// With `std`, each thread keeps the workspaces it has used, one per type (so per network
/// and batch size): the first call on a thread makes one, later calls take it back, and it
/// is freed when the thread ends (or by [`release`]). A call made while another is running
/// on the same type (a network inside another's step) makes its own. With `alloc` alone
/// (no thread-local storage), every call makes one.
#[inline]
pub fn cached<W: 'static, R>(make: impl FnOnce() -> W, run: impl FnOnce(&mut W) -> R) -> R {
    #[cfg(feature = "std")]
    {
        use std::any::Any;
        use std::boxed::Box;
        // Taken out of the cache for the call, so `run` may use the cache itself.
        let taken = CACHE.with_borrow_mut(|cache| {
            let at = cache.iter().position(|w| w.is::<W>())?;
            Some(cache.swap_remove(at))
        });
        let mut workspace: Box<dyn Any> = match taken {
            Some(workspace) => workspace,
            None => Box::new(make()),
        };
        let result = match workspace.downcast_mut::<W>() {
            Some(w) => run(w),
            None => unreachable!("the cache holds a workspace of the type it was found by"),
        };
        CACHE.with_borrow_mut(|cache| cache.push(workspace));
        result
    }
    #[cfg(not(feature = "std"))]
    {
        run(&mut make())
    }
}

#[cfg(feature = "std")]
std::thread_local! {
    /// The workspaces this thread has used, one per type.
    static CACHE: core::cell::RefCell<std::vec::Vec<std::boxed::Box<dyn core::any::Any>>> =
        const { core::cell::RefCell::new(std::vec::Vec::new()) };
}

/// Frees the workspaces this thread keeps for large batches (see [`cached`]); the next step
/// allocates again. For a long-lived thread done with training.
#[cfg(feature = "std")]
pub fn release() {
    CACHE.with_borrow_mut(|cache| *cache = std::vec::Vec::new());
}
