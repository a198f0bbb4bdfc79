//! Each node of a graph is computed once per pass, however many nodes read it.
//!
//! A node used by several consumers (`&h` in `&h + sigmoid(matmul(&h, &w) + &b)`) is asked
//! for its value once per consumer. An operation node keeps a [`Memo`]: the first ask in a
//! [`Pass`] computes the value and what the backward pass will need, later asks in the same
//! pass read it back. Each ask is counted, and the backward pass sums the consumers'
//! gradients and goes on below the node only when all of them have arrived, so a stack of
//! `n` blocks that each read their input twice costs `n` evaluations forward and `n`
//! backward, not `2ⁿ`. Walks over a graph's variables skip a node they have seen.
//!
//! Everything lives in cells inside the nodes: no heap, and a graph stays a plain value.
//! The matrices sit in [`RefCell`]s, so that both passes read them where they are rather
//! than copying them out: an operation computes its value into its memo and lends it to
//! its consumer ([`Evaluate::forward_then`](super::Evaluate::forward_then)), and a
//! backward pass reads the value and the saved inputs in place. A node is never below
//! itself, so within one pass no value is written while it is lent. The one thing this
//! rules out: a node type of your own whose forward pass changes a variable of its graph
//! (`set`) or runs another pass over nodes it shares with the graph (`Session::run` inside
//! `forward`) may find a value lent out, and panics ("already borrowed").
//!
//! A pass of [`Session::run`](super::Session::run) copies no inputs for a derivative: no
//! backward pass follows it (one that tries panics). What an earlier training pass kept
//! stays in the memo, unread.

use super::VariableVisitor;
use crate::optim::PerParameter;
use crate::{Element, Matrix};
use core::cell::{Cell, RefCell};
use core::fmt;
use core::sync::atomic::{AtomicUsize, Ordering};

/// One run of a graph: a forward pass with the backward pass that follows it, or one walk
/// over its variables. [`Pass::new`] gives a number no earlier pass had, so a node that
/// holds a value from an earlier pass (another feed, other variable values) computes it
/// again.
///
/// [`Session::run`](super::Session::run), [`compute_gradients`](super::compute_gradients)
/// and a [`Minimization`](super::Minimization) step start their own; a node type of your
/// own passes the one it is given to the nodes below it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pass {
    number: usize,
    /// Whether a backward pass may follow (not after `Session::run`).
    backward: bool,
}

// The number of the last pass started, shared by every graph: a node reached from two
// graphs must not mistake one graph's pass for the other's. Pass 0 is "never", the stamp of
// a node not yet evaluated. On a 32-bit target the numbers repeat after 2³² passes; a node
// evaluated exactly that many passes before, and not since, would be taken as current.
static LAST_PASS: AtomicUsize = AtomicUsize::new(0);

impl Pass {
    /// A pass no node has seen.
    #[allow(clippy::new_without_default)] // each call gives a new value: not a default
    pub fn new() -> Self {
        loop {
            let number = next_pass();
            if number != 0 {
                return Pass { number, backward: true };
            }
        }
    }

    /// A pass that only evaluates, as [`Session::run`](super::Session::run) does: no
    /// backward pass follows it, so a node need not keep what its derivative reads.
    pub(crate) fn inference() -> Self {
        Pass { backward: false, ..Pass::new() }
    }

    /// Whether a backward pass may follow this forward pass: `false` in
    /// [`Session::run`](super::Session::run), where ferroflow's operations skip copying
    /// their inputs for a derivative nobody will ask for, and where a backward pass panics.
    pub fn backward_follows(self) -> bool {
        self.backward
    }
}

#[cfg(target_has_atomic = "ptr")]
fn next_pass() -> usize {
    LAST_PASS.fetch_add(1, Ordering::Relaxed).wrapping_add(1)
}

// Targets without atomic read-modify-write (a Cortex-M0) run one thread.
#[cfg(not(target_has_atomic = "ptr"))]
fn next_pass() -> usize {
    let pass = LAST_PASS.load(Ordering::Relaxed).wrapping_add(1);
    LAST_PASS.store(pass, Ordering::Relaxed);
    pass
}

/// What an operation node keeps between its forward and backward passes: its value, what
/// its derivative needs (`S`: its inputs, say), how many consumers read it in the current
/// pass and the sum of the gradients they have sent back.
pub struct Memo<T: Element, const R: usize, const C: usize, S = ()> {
    pass: Cell<usize>,
    visit: Cell<usize>,
    uses: Cell<usize>,
    received: Cell<usize>,
    value: RefCell<Matrix<T, R, C>>,
    gradient: RefCell<Matrix<T, R, C>>,
    saved: RefCell<Option<S>>,
}

/// What the share [`Memo::arrive`] took leaves to do.
enum Arrival {
    /// Other uses have still to send theirs.
    Waiting,
    /// The node has one use: the share is the whole gradient.
    Only,
    /// The last of several shares: their sum is in the memo's `gradient`.
    Sum,
}

/// What a node's backward pass works from once every consumer has sent its gradient.
pub struct Received<T: Element, const R: usize, const C: usize, S> {
    /// The gradient of the loss with respect to the node's value: the sum of its
    /// consumers' shares.
    pub gradient: Matrix<T, R, C>,
    /// The node's value in the forward pass.
    pub value: Matrix<T, R, C>,
    /// What the forward pass kept for the derivative.
    pub saved: S,
}

impl<T: Element, const R: usize, const C: usize, S> Memo<T, R, C, S> {
    /// A memo that has seen no pass.
    pub const fn new() -> Self {
        Self {
            pass: Cell::new(0),
            visit: Cell::new(0),
            uses: Cell::new(0),
            received: Cell::new(0),
            value: RefCell::new(crate::matrix::zeros()),
            gradient: RefCell::new(crate::matrix::zeros()),
            saved: RefCell::new(None),
        }
    }

    /// The node's value in `pass`: `compute` gives it (with what the backward pass will
    /// need) the first time it is asked for in that pass; later asks read it back. Every ask
    /// is a use whose gradient [`receive`](Memo::receive) waits for.
    #[inline]
    pub fn value(
        &self,
        pass: Pass,
        compute: impl FnOnce() -> (Matrix<T, R, C>, S),
    ) -> Matrix<T, R, C> {
        if self.pass.get() == pass.number {
            self.uses.set(self.uses.get() + 1);
            return *self.value.borrow();
        }
        let (value, saved) = compute();
        self.pass.set(pass.number);
        self.uses.set(1);
        self.received.set(0);
        *self.value.borrow_mut() = value;
        *self.saved.borrow_mut() = Some(saved);
        value
    }

    /// [`value`](Memo::value) for ferroflow's operations, without copies: the first ask in
    /// `pass` has `compute` write the value where the memo keeps it (with what the backward
    /// pass will need, which it may leave as it was when no backward pass follows), and
    /// every ask lends the value to `then` where it lies.
    #[inline]
    pub(crate) fn compute_then<X>(
        &self,
        pass: Pass,
        compute: impl FnOnce(&mut Matrix<T, R, C>, &mut Option<S>),
        then: impl FnOnce(&Matrix<T, R, C>) -> X,
    ) -> X {
        if self.pass.get() == pass.number {
            self.uses.set(self.uses.get() + 1);
        } else {
            compute(&mut self.value.borrow_mut(), &mut self.saved.borrow_mut());
            self.pass.set(pass.number);
            self.uses.set(1);
            self.received.set(0);
        }
        then(&self.value.borrow())
    }

    /// Takes one consumer's share of the gradient in the backward pass of `pass`. Once
    /// every use of the node in that pass's forward pass has sent its share, gives their
    /// sum with what the backward pass needs; before that, `None`.
    ///
    /// # Panics
    /// If the node's last forward pass is not `pass` (another pass evaluated it since), if
    /// it was not evaluated since its last backward pass, or if it receives more shares
    /// than it had uses: a node type that calls `backward` other than once per use, after
    /// the forward pass of the same pass.
    #[inline]
    pub fn receive(&self, share: &Matrix<T, R, C>, pass: Pass) -> Option<Received<T, R, C, S>> {
        let gradient = match self.arrive(share, pass) {
            Arrival::Waiting => return None,
            Arrival::Only => *share,
            Arrival::Sum => *self.gradient.borrow(),
        };
        let saved =
            self.saved.take().expect("a graph node's backward pass runs after its forward pass");
        Some(Received { gradient, value: *self.value.borrow(), saved })
    }

    /// [`receive`](Memo::receive) for ferroflow's operations, without copies: once every
    /// use has sent its share, calls `then` with the gradient (the share itself when the
    /// node has one use), the node's value and what the forward pass kept, where they are.
    /// Panics as `receive` does.
    #[inline]
    pub(crate) fn receive_then(
        &self,
        share: &Matrix<T, R, C>,
        pass: Pass,
        then: impl FnOnce(&Matrix<T, R, C>, &Matrix<T, R, C>, &S),
    ) {
        let sum;
        let gradient = match self.arrive(share, pass) {
            Arrival::Waiting => return,
            Arrival::Only => share,
            Arrival::Sum => {
                sum = self.gradient.borrow();
                &*sum
            }
        };
        let saved = self.saved.borrow();
        let saved =
            saved.as_ref().expect("a graph node's backward pass runs after its forward pass");
        then(gradient, &self.value.borrow(), saved);
    }

    /// Counts one share of the gradient in the backward pass of `pass`, and adds it to the
    /// others; the checks of [`receive`](Memo::receive).
    #[inline]
    fn arrive(&self, share: &Matrix<T, R, C>, pass: Pass) -> Arrival {
        assert!(
            pass.backward_follows(),
            "a graph node's backward pass was run with the pass of a Session::run, which keeps \
             nothing for a derivative: use compute_gradients, or a pass of your own (Pass::new)"
        );
        assert!(
            self.pass.get() == pass.number,
            "a graph node was evaluated by another pass between its forward pass and this \
             backward pass (a node shared by two graphs, run in between): run the backward \
             pass right after its forward pass, as compute_gradients does"
        );
        let (uses, received) = (self.uses.get(), self.received.get() + 1);
        assert!(
            received <= uses,
            "a graph node received {received} gradients for {uses} uses in its forward pass: \
             a consumer must send one gradient per value it asked for, after a forward pass"
        );
        self.received.set(received);
        if uses == 1 {
            return Arrival::Only;
        }
        let mut gradient = self.gradient.borrow_mut();
        if received == 1 {
            *gradient = *share;
        } else {
            // In place, the sum `ops::add` would give.
            for (g, &s) in gradient.as_mut_slice().iter_mut().zip(share.as_slice()) {
                *g += s;
            }
        }
        if received < uses { Arrival::Waiting } else { Arrival::Sum }
    }

    /// Walks the variables below the node (`below`), the first time `pass` reaches it;
    /// later, tells the visitor how many variable values it skips (`V::LEN`, `V` the node's
    /// [`Variables`](super::Node::Variables)), so positions in the state stay in step.
    #[inline]
    pub fn visit<V: PerParameter<T>>(
        &self,
        visitor: &mut dyn VariableVisitor<T>,
        pass: Pass,
        below: impl FnOnce(&mut dyn VariableVisitor<T>),
    ) {
        if self.visit.replace(pass.number) == pass.number {
            visitor.skip(V::LEN);
        } else {
            below(visitor);
        }
    }
}

#[cfg(test)]
impl<T: Element, const R: usize, const C: usize, S: Copy> Memo<T, R, C, S> {
    /// What the last forward pass kept for the derivative.
    pub(crate) fn kept(&self) -> Option<S> {
        *self.saved.borrow()
    }
}

impl<T: Element, const R: usize, const C: usize> Memo<T, R, C> {
    /// [`compute_then`](Memo::compute_then) for an operation whose derivative needs nothing
    /// but its value and gradient.
    #[inline]
    pub(crate) fn compute_value_then<X>(
        &self,
        pass: Pass,
        compute: impl FnOnce(&mut Matrix<T, R, C>),
        then: impl FnOnce(&Matrix<T, R, C>) -> X,
    ) -> X {
        self.compute_then(
            pass,
            |value, saved| {
                compute(value);
                *saved = Some(());
            },
            then,
        )
    }
}

impl<T: Element, const R: usize, const C: usize, S> Default for Memo<T, R, C, S> {
    fn default() -> Self {
        Self::new()
    }
}

// A copy of a graph is another graph: it starts with no pass seen.
impl<T: Element, const R: usize, const C: usize, S> Clone for Memo<T, R, C, S> {
    fn clone(&self) -> Self {
        Self::new()
    }
}

impl<T: Element, const R: usize, const C: usize, S> fmt::Debug for Memo<T, R, C, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Memo")
            .field("pass", &self.pass.get())
            .field("uses", &self.uses.get())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(value: f64) -> Matrix<f64, 1, 1> {
        Matrix::from_element(value)
    }

    #[test]
    fn a_value_is_computed_once_per_pass() {
        let memo = Memo::<f64, 1, 1>::new();
        let mut computed = 0;
        let pass = Pass::new();
        for _ in 0..3 {
            memo.value(pass, || {
                computed += 1;
                (one(2.0), ())
            });
        }
        assert_eq!(computed, 1);
        memo.value(Pass::new(), || {
            computed += 1;
            (one(2.0), ())
        });
        assert_eq!(computed, 2);
    }

    #[test]
    fn the_gradient_goes_on_once_every_use_has_sent_its_share() {
        let memo = Memo::<f64, 1, 1, f64>::new();
        let pass = Pass::new();
        for _ in 0..3 {
            memo.value(pass, || (one(5.0), 7.0));
        }
        assert!(memo.receive(&one(1.0), pass).is_none());
        assert!(memo.receive(&one(2.0), pass).is_none());
        let received = memo.receive(&one(4.0), pass).expect("the third share completes it");
        assert_eq!((received.gradient[0], received.value[0], received.saved), (7.0, 5.0, 7.0));
    }

    #[test]
    #[should_panic(expected = "2 gradients for 1 uses")]
    fn a_share_too_many_is_refused() {
        let memo = Memo::<f64, 1, 1>::new();
        let pass = Pass::new();
        memo.value(pass, || (one(1.0), ()));
        let _ = memo.receive(&one(1.0), pass);
        let _ = memo.receive(&one(1.0), pass);
    }

    #[test]
    #[should_panic(expected = "evaluated by another pass")]
    fn a_backward_pass_after_another_forward_pass_is_refused() {
        let memo = Memo::<f64, 1, 1>::new();
        let first = Pass::new();
        memo.value(first, || (one(1.0), ()));
        memo.value(Pass::new(), || (one(2.0), ()));
        let _ = memo.receive(&one(1.0), first);
    }

    #[test]
    #[should_panic(expected = "pass of a Session::run")]
    fn a_backward_pass_after_an_inference_pass_is_refused() {
        let memo = Memo::<f64, 1, 1>::new();
        let pass = Pass::inference();
        memo.value(pass, || (one(1.0), ()));
        let _ = memo.receive(&one(1.0), pass);
    }

    #[test]
    fn passes_are_new() {
        let (a, b) = (Pass::new(), Pass::new());
        assert_ne!(a, b);
        assert_ne!(a.number, 0);
        assert!(a.backward_follows() && !Pass::inference().backward_follows());
    }
}
