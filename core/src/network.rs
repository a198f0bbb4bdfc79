//! The network trait: what every `network!` network can do, so training loops, optimizers
//! and serialisation work on any of them.
//!
//! The `network!` macro implements the five required methods with straight-line calls to
//! the layer kernels; everything else is written once, here.
//!
//! # Large batches
//!
//! A network's passes write every layer's output and gradient into a workspace
//! ([`workspace`](crate::workspace)), never onto the stack by value: a 256 × 1024 batch of
//! `f32` activations is 1 MiB. A workspace of at most
//! [`STACK_LIMIT`](crate::workspace::STACK_LIMIT) (64 KiB) is kept on the stack, so small
//! networks never allocate; a larger one, with the `alloc` feature, on the heap, made on a
//! thread's first step at that batch size and reused by every later one (with `std`).
//! Without `alloc`, every workspace is on the stack, and a `network!` network's
//! `stack_bytes::<B>()` (a `const fn`) is what a training step on `B` samples needs there.
//!
//! [`forward`](Network::forward), [`train_step`](Network::train_step),
//! [`update_from_trace`](Network::update_from_trace), [`backward`](Network::backward) and
//! [`gradients`](Network::gradients) of a `network!` network work at any batch size that
//! fits in memory. [`forward_trace`](Network::forward_trace) returns the whole trace by
//! value, so at a large batch it is as large on the caller's stack: call
//! [`train_step`](Network::train_step) instead, unless the outputs are needed.

use crate::optim::{OptimizerFor, Parameters};
use crate::{Element, Matrix};

/// A feed-forward network from `I` input features to `O` outputs, computing in `T`.
pub trait Network<T: Element, const I: usize, const O: usize>: Parameters<T> + Clone {
    /// What a training forward pass keeps for the backward pass: every layer's output for
    /// a batch of `B` samples.
    type Activations<const B: usize>;

    /// Inference: the outputs for a batch of `B` samples. Keeps nothing.
    fn forward<const B: usize>(&self, x: &Matrix<T, B, I>) -> Matrix<T, B, O>;

    /// The training forward pass: every layer's output, kept for [`backward`](Self::backward).
    ///
    /// The trace is returned by value, so it lives on the caller's stack: for a large batch
    /// (see the module's docs), prefer [`train_step`](Self::train_step).
    fn forward_trace<const B: usize>(&self, x: &Matrix<T, B, I>) -> Self::Activations<B>;

    /// The network's output within a trace.
    fn output<const B: usize>(activations: &Self::Activations<B>) -> &Matrix<T, B, O>;

    /// The loss of a traced batch against `labels`, and the gradients of every parameter.
    fn backward<const B: usize>(
        &self,
        x: &Matrix<T, B, I>,
        activations: &Self::Activations<B>,
        labels: &Matrix<T, B, O>,
    ) -> (T, Self::Gradients);

    /// The loss of a batch against `labels` (the network's loss, a mean over the batch).
    fn loss<const B: usize>(&self, x: &Matrix<T, B, I>, labels: &Matrix<T, B, O>) -> T;

    /// The loss and the gradients of every parameter for one batch.
    fn gradients<const B: usize>(
        &self,
        x: &Matrix<T, B, I>,
        labels: &Matrix<T, B, O>,
    ) -> (T, Self::Gradients) {
        let activations = self.forward_trace(x);
        self.backward(x, &activations, labels)
    }

    /// The second half of a training step: from a traced batch, the loss, and an update of
    /// every parameter by `optimizer`. Returns the loss before the update.
    ///
    /// `network!` fuses the backward pass with the update (each layer's gradient goes to
    /// the optimizer as soon as it is known), so no gradients value is built; this default
    /// builds one and applies it. Training loops that need the outputs of the batch (for
    /// accuracy, say) call [`forward_trace`](Self::forward_trace), read
    /// [`output`](Self::output), then call this.
    fn update_from_trace<const B: usize, Opt: OptimizerFor<T, Self::Gradients>>(
        &mut self,
        x: &Matrix<T, B, I>,
        activations: &Self::Activations<B>,
        labels: &Matrix<T, B, O>,
        optimizer: &mut Opt,
    ) -> T {
        let (loss, gradients) = self.backward(x, activations, labels);
        self.apply_gradients(&gradients, optimizer);
        loss
    }

    /// One step of training: forward, backward, and an update of every parameter by
    /// `optimizer`, which must have been made for this network (`Adam::new(rate)` is, once
    /// used here). Returns the loss before the update.
    ///
    /// Divergence is reported, never hidden and never a panic: the loss is `NaN` or
    /// infinite whenever the batch or the weights hold a `NaN` or an infinity, and
    /// [`all_finite`](crate::optim::Parameters::all_finite) says after the step whether
    /// the update left every weight finite. A loop that must not go on with a diverged
    /// network checks both (the `Trainer` of the `ferroflow` crate does, after each batch).
    fn train_step<const B: usize, Opt: OptimizerFor<T, Self::Gradients>>(
        &mut self,
        x: &Matrix<T, B, I>,
        labels: &Matrix<T, B, O>,
        optimizer: &mut Opt,
    ) -> T {
        let activations = self.forward_trace(x);
        self.update_from_trace(x, &activations, labels, optimizer)
    }

    /// The predicted class (the index of the largest output) of every sample.
    fn classify_batch<const B: usize>(&self, x: &Matrix<T, B, I>) -> [usize; B] {
        crate::matrix::argmax_rows(&self.forward(x))
    }
}
