//! Values with one number per parameter, laid out as the model is: gradients, and the
//! optimizer state that mirrors them (a velocity, Adam's moments).

use crate::{Element, Matrix};

/// A value holding one `T` for each parameter of a model, in the model's own shape: its
/// gradients, or an optimizer's state for it (a velocity, Adam's two moments).
///
/// The model's [`Parameters::Gradients`](super::Parameters::Gradients) is such a value, so
/// an optimizer that keeps its state as values of that type is sized by the model at
/// compile time, in generic code too, and nobody writes a parameter count: `Adam<T, G>`
/// holds two `G`s, and `Adam::new(rate)` learns `G` from the network it trains. Storage
/// follows the model's: a `network!` network's gradients keep a large layer's share on the
/// heap where the network keeps that layer on the heap, and everything inline without
/// `alloc` (a microcontroller puts its optimizer in `.bss` or on its stack).
///
/// The values also have a flat order, the one of
/// [`Parameters::for_each_param`](super::Parameters::for_each_param): the tensors one after
/// another. [`run_mut`](PerParameter::run_mut) finds a run of values by its flat position,
/// which is how an [`Optimizer`](super::Optimizer) finds its state for the tensor it is
/// asked to update.
///
/// Implemented for matrices (a lone tensor), `PerceptronGradients` (a layer), the
/// `…Gradients` struct of every `network!` network, `()` (no parameters), pairs (two models
/// one after the other) and, with `alloc`, boxes of any of them.
pub trait PerParameter<T: Element>: Sized {
    /// The number of values: the model's parameter count.
    const LEN: usize;

    /// Whether some of the model's parameters are out of this layout's sight: those behind
    /// a [`Shared`](crate::graph::Shared) handle of a graph, whose type hides them. An
    /// optimizer with state cannot keep state for them, and refuses such a model when it
    /// is built.
    const HIDDEN: bool = false;

    /// Every value zero.
    fn zeros() -> Self;

    /// The values at flat positions `offset..offset + len`, if they lie within one tensor.
    fn run_mut(&mut self, offset: usize, len: usize) -> Option<&mut [T]>;

    /// Calls `f` with each tensor's values, in the flat order.
    fn for_each_tensor(&self, f: &mut impl FnMut(&[T]));

    /// Calls `f` with each tensor's values, mutably, in the flat order.
    fn for_each_tensor_mut(&mut self, f: &mut impl FnMut(&mut [T]));

    /// Sets every value back to zero.
    fn reset(&mut self) {
        self.for_each_tensor_mut(&mut |values| values.fill(T::ZERO));
    }

    /// The value at flat position `index`, if there is one.
    fn get(&self, index: usize) -> Option<T> {
        let (mut found, mut start) = (None, 0);
        self.for_each_tensor(&mut |values| {
            if found.is_none() && (start..start + values.len()).contains(&index) {
                found = Some(values[index - start]);
            }
            start += values.len();
        });
        found
    }
}

impl<T: Element, const R: usize, const C: usize> PerParameter<T> for Matrix<T, R, C> {
    const LEN: usize = R * C;

    fn zeros() -> Self {
        crate::matrix::zeros()
    }

    #[inline]
    fn run_mut(&mut self, offset: usize, len: usize) -> Option<&mut [T]> {
        self.as_mut_slice().get_mut(offset..offset.checked_add(len)?)
    }

    fn for_each_tensor(&self, f: &mut impl FnMut(&[T])) {
        f(self.as_slice())
    }

    fn for_each_tensor_mut(&mut self, f: &mut impl FnMut(&mut [T])) {
        f(self.as_mut_slice())
    }
}

/// A model without parameters.
impl<T: Element> PerParameter<T> for () {
    const LEN: usize = 0;

    fn zeros() -> Self {}

    #[inline]
    fn run_mut(&mut self, _offset: usize, _len: usize) -> Option<&mut [T]> {
        None
    }

    fn for_each_tensor(&self, _f: &mut impl FnMut(&[T])) {}

    fn for_each_tensor_mut(&mut self, _f: &mut impl FnMut(&mut [T])) {}
}

/// Two models' values, the first's before the second's (a graph's two operands, a
/// hand-written model's layers).
impl<T: Element, A: PerParameter<T>, B: PerParameter<T>> PerParameter<T> for (A, B) {
    const LEN: usize = A::LEN + B::LEN;
    const HIDDEN: bool = A::HIDDEN || B::HIDDEN;

    fn zeros() -> Self {
        (A::zeros(), B::zeros())
    }

    #[inline]
    fn run_mut(&mut self, offset: usize, len: usize) -> Option<&mut [T]> {
        match offset.checked_sub(A::LEN) {
            None => self.0.run_mut(offset, len),
            Some(offset) => self.1.run_mut(offset, len),
        }
    }

    fn for_each_tensor(&self, f: &mut impl FnMut(&[T])) {
        self.0.for_each_tensor(f);
        self.1.for_each_tensor(f);
    }

    fn for_each_tensor_mut(&mut self, f: &mut impl FnMut(&mut [T])) {
        self.0.for_each_tensor_mut(f);
        self.1.for_each_tensor_mut(f);
    }
}

/// Values kept on the heap, as a network keeps a large layer's.
#[cfg(feature = "alloc")]
impl<T: Element, P: PerParameter<T>> PerParameter<T> for alloc::boxed::Box<P> {
    const LEN: usize = P::LEN;
    const HIDDEN: bool = P::HIDDEN;

    /// Zeros built in place and moved to the heap. A `network!` network's gradients make
    /// their large layers' boxes with `PerceptronGradients::boxed_zeros`, which never holds
    /// them on the stack.
    fn zeros() -> Self {
        alloc::boxed::Box::new(P::zeros())
    }

    #[inline]
    fn run_mut(&mut self, offset: usize, len: usize) -> Option<&mut [T]> {
        (**self).run_mut(offset, len)
    }

    fn for_each_tensor(&self, f: &mut impl FnMut(&[T])) {
        (**self).for_each_tensor(f)
    }

    fn for_each_tensor_mut(&mut self, f: &mut impl FnMut(&mut [T])) {
        (**self).for_each_tensor_mut(f)
    }
}

/// An optimizer's state for a model whose parameters are laid out as `G`, every value zero;
/// a model with parameters out of the layout's sight ([`PerParameter::HIDDEN`]) does not
/// build.
pub(super) fn zero_state<T: Element, G: PerParameter<T>>() -> G {
    const {
        assert!(
            !G::HIDDEN,
            "an optimizer with state (momentum, Adam) cannot train this graph: the variables \
             behind its `share`d nodes have no place in the state, whose type cannot see them; \
             train it with GradientDescent, or describe the network with `network!`"
        )
    };
    G::zeros()
}

/// The state of an optimizer with `S` values per parameter for the tensor at
/// `offset..offset + len`, or the message of a broken contract: the optimizer is driven
/// with positions outside the model its state was made for. Through the typed entry points
/// (`train_step`, `apply_gradients`, `minimize`) that cannot happen; only a hand-written
/// loop calling [`Optimizer::update`](super::Optimizer::update) can get it wrong.
///
/// The state values share the model's layout, so the run is in all of them or in none: it
/// is looked for once, and the one panic sits outside the `map` over the values, where the
/// compiler sees that a training step's positions always find it (tests/no-panic).
#[inline(always)]
pub(super) fn runs<'a, T: Element, G: PerParameter<T>, const S: usize>(
    mut state: [&'a mut G; S],
    optimizer: &str,
    offset: usize,
    len: usize,
) -> [&'a mut [T]; S] {
    if state.first_mut().is_some_and(|values| values.run_mut(offset, len).is_none()) {
        outside(optimizer, G::LEN, offset, len)
    }
    // A loop, not `state.map`: the standard library's `map` ran its closure through a call
    // that was not inlined, once per tensor and step (BENCHMARKS.md, "Measurements behind
    // the kernels' shape").
    let mut runs: [&'a mut [T]; S] = core::array::from_fn(|_| Default::default());
    for (run, values) in runs.iter_mut().zip(state) {
        *run = values.run_mut(offset, len).unwrap_or_default();
    }
    runs
}

#[cold]
fn outside(optimizer: &str, count: usize, offset: usize, len: usize) -> ! {
    panic!(
        "{optimizer} was asked to update parameters {offset}..{}, which are not one tensor of \
         the {count} parameters its state was made for: drive it through the model's \
         `apply_gradients` or `train_step`, which place every tensor",
        offset.saturating_add(len)
    )
}

/// How an optimizer with `S` values of state per parameter updates one tensor, given the
/// tensor's share of each state value: all that [`Share`] needs to run it on another
/// thread.
pub(super) trait Rule<T: Element, const S: usize>: Copy + Send {
    /// The optimizer's name, for messages.
    const OPTIMIZER: &'static str;

    /// Updates `params` from `gradients`, with `state[k][i]` the `k`-th state of `params[i]`.
    fn apply(&self, state: [&mut [T]; S], params: &mut [T], gradients: &[T]);
}

/// One part of a split optimizer ([`Optimizer::split_at`](super::Optimizer::split_at)): the
/// optimizer's rule for this step, and its state for the positions `base..base + len` of
/// one tensor.
struct Share<'a, T, R, const S: usize> {
    rule: R,
    state: [&'a mut [T]; S],
    /// The flat position of the first parameter this part holds state for.
    base: usize,
    /// "first" or "second", for messages.
    which: &'static str,
}

impl<T: Element, R: Rule<T, S>, const S: usize> super::Optimizer<T> for Share<'_, T, R, S> {
    fn update(&mut self, offset: usize, params: &mut [T], gradients: &[T]) {
        debug_assert_eq!(params.len(), gradients.len());
        let (base, len) = (self.base, params.len());
        let start = offset.checked_sub(base);
        let state = self.state.each_mut().map(|values| {
            let available = values.len();
            match start.and_then(|start| values.get_mut(start..start.checked_add(len)?)) {
                Some(run) => run,
                None => panic!(
                    "the {} part of a split {} covers parameters {base}..{}, not {offset}..{}",
                    self.which,
                    R::OPTIMIZER,
                    base + available,
                    offset.saturating_add(len),
                ),
            }
        });
        self.rule.apply(state, params, gradients);
    }
}

/// Lends `both` the two parts of an optimizer whose rule is `rule`, for the tensor whose
/// state is `state` (starting at flat position `offset`), cut at flat position `at`. The
/// parts live on this stack frame: a split step allocates nothing.
pub(super) fn split<T: Element, R: Rule<T, S> + Send, const S: usize>(
    rule: R,
    state: [&mut [T]; S],
    offset: usize,
    at: usize,
    both: &mut dyn FnMut(&mut super::Part<'_, T>, &mut super::Part<'_, T>),
) {
    let cut = at.saturating_sub(offset);
    let mut halves = state.map(|values| values.split_at_mut(cut.min(values.len())));
    let firsts = halves.each_mut().map(|(first, _)| core::mem::take(first));
    let seconds = halves.map(|(_, second)| second);
    let mut first = Share { rule, state: firsts, base: offset, which: "first" };
    let mut second = Share { rule, state: seconds, base: offset + cut, which: "second" };
    both(&mut first, &mut second);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matrix::from_rows;

    #[test]
    fn a_pair_finds_each_run_in_its_own_half() {
        let mut pair: (Matrix<f64, 2, 2>, Matrix<f64, 1, 3>) =
            (from_rows([[1.0, 2.0], [3.0, 4.0]]), from_rows([[5.0, 6.0, 7.0]]));
        assert_eq!(<(Matrix<f64, 2, 2>, Matrix<f64, 1, 3>) as PerParameter<f64>>::LEN, 7);
        // Column-major storage: the first matrix is 1, 3, 2, 4.
        assert_eq!(pair.run_mut(1, 2).map(|run| run.to_vec()), Some(vec![3.0, 2.0]));
        assert_eq!(pair.run_mut(4, 3).map(|run| run.to_vec()), Some(vec![5.0, 6.0, 7.0]));
        // Straddling the two, or past the end: no run.
        assert_eq!(pair.run_mut(3, 2), None);
        assert_eq!(pair.run_mut(6, 2), None);
        assert_eq!(pair.get(4), Some(5.0));
        assert_eq!(pair.get(7), None);
        pair.reset();
        assert_eq!(pair, <(Matrix<f64, 2, 2>, Matrix<f64, 1, 3>)>::zeros());
    }

    #[test]
    #[should_panic(expected = "Adam was asked to update parameters 2..5, which are not one \
                               tensor of the 4 parameters")]
    fn a_run_outside_the_state_says_how_to_drive_the_optimizer() {
        let mut state = Matrix::<f32, 1, 4>::zeros();
        let _ = runs([&mut state], "Adam", 2, 3);
    }
}
