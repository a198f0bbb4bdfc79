//! Per-parameter optimizer state whose size is fixed at compile time.

use crate::Element;
use core::fmt;
use core::ops::{Deref, DerefMut};

/// `P` values of optimizer state, one per parameter: a velocity, a moment estimate.
///
/// The length is a const generic, so it is known at compile time in every build; only
/// where the values live depends on the `alloc` feature, and the API is the same:
///
/// - without `alloc` it is an inline `[T; P]`. Nothing allocates; an embedded program
///   places its optimizer in a `static` cell or on its stack, and the linker's memory map
///   shows the cost.
/// - with `alloc` (and so with `std`) it is one heap block of exactly `P` values, made
///   without passing through the stack. Adam on a 784 → 128 → 10 network holds two
///   moments of 101 770 values each, 814 kB in `f32`: inline, that value would sit on the
///   stack wherever the optimizer is built or moved, which overflows a 2 MiB test thread
///   in a debug build once the network and its gradients are there too.
///
/// ```
/// use ferroflow_core::optim::StateVector;
/// let state = StateVector::<f32, 3>::zeros();
/// assert_eq!(&state[..], &[0.0; 3]);
/// ```
#[derive(Clone, PartialEq)]
pub struct StateVector<T: Element, const P: usize> {
    #[cfg(feature = "alloc")]
    values: alloc::boxed::Box<[T; P]>,
    #[cfg(not(feature = "alloc"))]
    values: [T; P],
}

impl<T: Element, const P: usize> StateVector<T, P> {
    /// `P` zeros.
    pub fn zeros() -> Self {
        #[cfg(feature = "alloc")]
        {
            // Through a `Vec`, so the zeros are written straight into the heap block.
            let values = match alloc::vec![T::ZERO; P].into_boxed_slice().try_into() {
                Ok(values) => values,
                Err(_) => unreachable!("a vector of P values converts to [T; P]"),
            };
            Self { values }
        }
        #[cfg(not(feature = "alloc"))]
        {
            Self { values: [T::ZERO; P] }
        }
    }

    /// Sets every value back to zero.
    pub fn reset(&mut self) {
        self.values.fill(T::ZERO);
    }
}

impl<T: Element, const P: usize> Deref for StateVector<T, P> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        &self.values[..]
    }
}

impl<T: Element, const P: usize> DerefMut for StateVector<T, P> {
    fn deref_mut(&mut self) -> &mut [T] {
        &mut self.values[..]
    }
}

impl<T: Element, const P: usize> fmt::Debug for StateVector<T, P> {
    /// Only the length: printing a hundred thousand moments helps nobody.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "StateVector<{}, {P}>", T::NAME)
    }
}

/// The state for the tensor at `offset..offset + len`, with a message that says how to
/// size the optimizer when it is too small.
#[inline]
pub(super) fn slot<'a, T: Element, const P: usize>(
    state: &'a mut StateVector<T, P>,
    optimizer: &str,
    offset: usize,
    len: usize,
) -> &'a mut [T] {
    match offset.checked_add(len) {
        Some(end) if end <= P => &mut state[offset..end],
        _ => too_small(optimizer, P, offset, len),
    }
}

/// The error of an optimizer whose state (for `p` parameters) does not reach the tensor at
/// `offset..offset + len`: it says how to size it.
#[cold]
fn too_small(optimizer: &str, p: usize, offset: usize, len: usize) -> ! {
    panic!(
        "{optimizer}<_, {p}> holds state for {p} parameters, but was asked to update \
         parameters {offset}..{}: build it for the whole model, as \
         {optimizer}::<T, {{ Net::PARAM_COUNT }}>",
        offset.saturating_add(len)
    )
}

/// How an optimizer with `S` values of state per parameter updates one tensor, given the
/// tensor's share of each state vector: all that [`Share`] needs to run it on another
/// thread.
pub(super) trait Rule<T: Element, const S: usize>: Copy + Send {
    /// The optimizer's name, for messages.
    const OPTIMIZER: &'static str;

    /// Updates `params` from `gradients`, with `state[k][i]` the `k`-th state of `params[i]`.
    fn apply(&self, state: [&mut [T]; S], params: &mut [T], gradients: &[T]);
}

/// One part of a split optimizer ([`Optimizer::split_at`](super::Optimizer::split_at)): the
/// optimizer's rule for this step, and its state for the parameters from `base` on.
#[cfg(feature = "alloc")]
struct Share<'a, T, R, const S: usize> {
    rule: R,
    state: [&'a mut [T]; S],
    /// The position of the first parameter this part holds state for.
    base: usize,
    /// How many parameters the whole optimizer holds state for.
    total: usize,
    /// "first" or "second", for messages.
    which: &'static str,
}

#[cfg(feature = "alloc")]
impl<T: Element, R: Rule<T, S>, const S: usize> super::Optimizer<T> for Share<'_, T, R, S> {
    fn update(&mut self, offset: usize, params: &mut [T], gradients: &[T]) {
        debug_assert_eq!(params.len(), gradients.len());
        let (base, len) = (self.base, params.len());
        let end = offset.saturating_add(len);
        if end > self.total {
            too_small(R::OPTIMIZER, self.total, offset, len);
        }
        let start = offset.checked_sub(base);
        let state = self.state.each_mut().map(|values| {
            let available = values.len();
            match start.and_then(|start| values.get_mut(start..start.checked_add(len)?)) {
                Some(slot) => slot,
                None => panic!(
                    "the {} part of a split {} covers parameters {base}..{}, not {offset}..{end}",
                    self.which,
                    R::OPTIMIZER,
                    base + available,
                ),
            }
        });
        self.rule.apply(state, params, gradients);
    }
}

/// The two parts of an optimizer whose rule is `rule` and whose state is `state`, cut at
/// parameter `at` (the state of a smaller model ends before it: the second part then has
/// none, and asking it for any is the usual error).
#[cfg(feature = "alloc")]
pub(super) fn split<'a, T: Element, R: Rule<T, S> + 'a, const S: usize>(
    rule: R,
    state: [&'a mut [T]; S],
    at: usize,
) -> [super::Part<'a, T>; 2] {
    let total = state.iter().map(|values| values.len()).min().unwrap_or(0);
    let mut halves = state.map(|values| values.split_at_mut(at.min(values.len())));
    let firsts = halves.each_mut().map(|(first, _)| core::mem::take(first));
    let seconds = halves.map(|(_, second)| second);
    [
        alloc::boxed::Box::new(Share { rule, state: firsts, base: 0, total, which: "first" }),
        alloc::boxed::Box::new(Share { rule, state: seconds, base: at, total, which: "second" }),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(feature = "alloc")]
    fn a_large_state_does_not_live_on_the_stack() {
        // 4 MiB of state: built on a 2 MiB test-thread stack, this would overflow.
        let mut state = StateVector::<f32, { 1 << 20 }>::zeros();
        state[12345] = 1.0;
        assert_eq!(state.iter().sum::<f32>(), 1.0);
        state.reset();
        assert!(state.iter().all(|&v| v == 0.0));
    }

    #[test]
    #[should_panic(expected = "Adam<_, 4> holds state for 4 parameters")]
    fn a_too_small_state_says_how_to_size_it() {
        let mut state = StateVector::<f32, 4>::zeros();
        let _ = slot(&mut state, "Adam", 2, 3);
    }
}
