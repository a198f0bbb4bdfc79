//! A training step on two cores (feature `parallel`, needs `std`): the batch is split in
//! two halves, each core computes the gradients of its half, and one update applies their
//! mean, which is the gradient of the whole batch (every loss is a mean over the batch).

use crate::optim::Optimizer;
use crate::{Element, Matrix, Network};
use alloc::vec::Vec;
use std::sync::mpsc;

/// One training step of `net` on a batch of `B = 2H` samples, on two threads: forward and
/// backward of the first `H` samples on a scoped thread, of the last `H` on the calling
/// one, then a single update by `optimizer` with the mean of the two gradients. Returns
/// the loss before the update, as [`Network::train_step`] does, and gives the same step
/// to rounding (the sums over the batch are added in a different order).
///
/// `H` is given by the caller (`train_step::<32, _, _, _, _, _, _>` for a batch of 64),
/// since a half of a const generic cannot be written in a type; a batch of any other size
/// than `2H` does not build.
///
/// **Slow**: a thread is started for every step, and its fresh stack takes a page fault
/// for every 4 kB the half's gradients touch (measured on 2 cores of an EPYC, native
/// code: W3 at 0.12× and W2 at 0.08× of the single-thread step). [`Worker`] keeps its
/// thread between steps and does better, though not yet better than one thread.
///
/// ```
/// use ferroflow_core::kernels::parallel;
/// use ferroflow_core::{CrossEntropy, GradientDescent, Matrix, Network};
/// # use ferroflow_core::kernels::parallel::doc_network::TwoLayer as Net;
/// let mut net = Net::default();
/// let x = Matrix::<f64, 4, 3>::from_fn(|r, c| (r * 3 + c) as f64 / 10.0);
/// let y = Matrix::<f64, 4, 2>::from_fn(|r, c| if r % 2 == c { 1.0 } else { 0.0 });
/// let mut single = net.clone();
/// let loss = parallel::train_step::<2, _, _, _, _, _, _>(&mut net, &x, &y, &mut GradientDescent::new(0.5));
/// let expected = single.train_step(&x, &y, &mut GradientDescent::new(0.5));
/// assert!((loss - expected).abs() < 1e-12);
/// ```
pub fn train_step<const H: usize, T, N, Opt, const I: usize, const O: usize, const B: usize>(
    net: &mut N,
    x: &Matrix<T, B, I>,
    labels: &Matrix<T, B, O>,
    optimizer: &mut Opt,
) -> T
where
    T: Element + Send + Sync,
    N: Network<T, I, O> + Sync,
    N::Gradients: Send,
    Opt: Optimizer<T>,
{
    const { assert!(B == 2 * H, "parallel::train_step: the batch must have 2H samples") };
    let shared: &N = net;
    let first_half = || shared.gradients(&half::<T, B, H, I>(x, 0), &half(labels, 0));
    let ((loss_a, grads_a), (loss_b, grads_b)) = std::thread::scope(|scope| {
        // A large layer's gradient is a value on the stack (W3's is 400 kB, and it is
        // built and moved more than once), more than a thread's default 2 MiB holds.
        let stack = (1 << 21) + 8 * core::mem::size_of::<N::Gradients>();
        let first = std::thread::Builder::new().stack_size(stack).spawn_scoped(scope, first_half);
        let second = shared.gradients(&half::<T, B, H, I>(x, H), &half(labels, H));
        match first {
            Ok(first) => match first.join() {
                Ok(first) => (first, second),
                Err(panic) => std::panic::resume_unwind(panic),
            },
            // No thread to be had: the first half on this one.
            Err(_) => (first_half(), second),
        }
    });
    // The first half's gradients are laid out flat, in the order and at the offsets the
    // update uses, by an "optimizer" that only records; the second pass averages them with
    // the second half's as it goes and hands the mean to the real optimizer. The flat
    // buffer is kept by the thread between steps: allocating W3's 400 kB anew each step
    // cost a page fault per 4 kB.
    let mut first = Record { values: take_buffer::<T>() };
    net.apply_gradients(&grads_a, &mut first);
    let mut average = Average { first: first.values, optimizer };
    net.apply_gradients(&grads_b, &mut average);
    keep_buffer(average.first);
    let two = T::ONE + T::ONE;
    (loss_a + loss_b) / two
}

std::thread_local! {
    /// The flat gradient buffer of the last step on this thread, of whichever element type.
    static BUFFER: core::cell::RefCell<Option<alloc::boxed::Box<dyn core::any::Any>>> =
        const { core::cell::RefCell::new(None) };
}

/// The buffer kept by [`keep_buffer`], or a new one.
fn take_buffer<T: Element>() -> Vec<T> {
    let kept = BUFFER.with(|b| b.borrow_mut().take());
    match kept.map(|any| any.downcast::<Vec<T>>()) {
        Some(Ok(buffer)) => *buffer,
        _ => Vec::new(),
    }
}

/// Keeps a buffer for the next step on this thread.
fn keep_buffer<T: Element>(buffer: Vec<T>) {
    BUFFER.with(|b| *b.borrow_mut() = Some(alloc::boxed::Box::new(buffer)));
}

/// A second thread kept between training steps, with its own copy of the network: the
/// same step as [`train_step`] without starting a thread each time (whose fresh stack
/// page-faults on every 4 kB a half's gradients touch). Each step copies the parameters
/// into the worker's copy, hands it the first half of the batch, computes the second
/// half here, and applies the mean of the two gradients in one update.
///
/// Each half runs the network's fused backward ([`Network::update_from_trace`]) with an
/// "optimizer" that records the gradients flat instead of updating, so no gradients value
/// is built; BENCHMARKS.md has the measured speed.
///
/// ```
/// use ferroflow_core::kernels::parallel::Worker;
/// use ferroflow_core::{GradientDescent, Matrix, Network};
/// # use ferroflow_core::kernels::parallel::doc_network::TwoLayer as Net;
/// let mut net = Net::default();
/// let mut single = net.clone();
/// let mut worker = Worker::<f64, Net, 2, 3, 2>::new(&net);
/// let x = Matrix::<f64, 4, 3>::from_fn(|r, c| (r * 3 + c) as f64 / 10.0);
/// let y = Matrix::<f64, 4, 2>::from_fn(|r, c| if r % 2 == c { 1.0 } else { 0.0 });
/// let loss = worker.train_step(&mut net, &x, &y, &mut GradientDescent::new(0.5));
/// let expected = single.train_step(&x, &y, &mut GradientDescent::new(0.5));
/// assert!((loss - expected).abs() < 1e-12);
/// ```
pub struct Worker<T: Element, N, const H: usize, const I: usize, const O: usize> {
    jobs: Option<mpsc::Sender<Job<T, N, H, I, O>>>,
    done: mpsc::Receiver<Job<T, N, H, I, O>>,
    spare: Option<Job<T, N, H, I, O>>,
    params: Vec<T>,
    mine: Vec<T>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// What travels to the worker and back: its copy of the network, its half of the batch,
/// and (on the way back) the loss and gradients of that half, flat.
struct Job<T: Element, N, const H: usize, const I: usize, const O: usize> {
    replica: alloc::boxed::Box<N>,
    x: alloc::boxed::Box<Matrix<T, H, I>>,
    labels: alloc::boxed::Box<Matrix<T, H, O>>,
    gradients: Vec<T>,
    loss: T,
}

impl<T, N, const H: usize, const I: usize, const O: usize> Worker<T, N, H, I, O>
where
    T: Element + Send,
    N: Network<T, I, O> + Send + 'static,
{
    /// Starts the worker thread with a copy of `net`.
    pub fn new(net: &N) -> Self {
        let (jobs, inbox) = mpsc::channel::<Job<T, N, H, I, O>>();
        let (outbox, done) = mpsc::channel();
        let stack = (1 << 21) + 8 * core::mem::size_of::<N::Gradients>();
        let thread = std::thread::Builder::new()
            .stack_size(stack)
            .spawn(move || {
                for mut job in inbox {
                    job.loss =
                        half_gradients(&mut *job.replica, &job.x, &job.labels, &mut job.gradients);
                    if outbox.send(job).is_err() {
                        break;
                    }
                }
            })
            .ok();
        let spare = Job {
            replica: alloc::boxed::Box::new(net.clone()),
            x: alloc::boxed::Box::new(crate::matrix::zeros()),
            labels: alloc::boxed::Box::new(crate::matrix::zeros()),
            gradients: Vec::new(),
            loss: T::ZERO,
        };
        Self {
            jobs: Some(jobs),
            done,
            spare: Some(spare),
            params: Vec::new(),
            mine: Vec::new(),
            thread,
        }
    }

    /// One training step of `net` on a batch of `B = 2H` samples, the first half on the
    /// worker: the same step as [`Network::train_step`], to rounding. Returns the loss
    /// before the update. If the worker is gone (it cannot be started, or panicked), the
    /// first half is computed on this thread.
    pub fn train_step<Opt: Optimizer<T>, const B: usize>(
        &mut self,
        net: &mut N,
        x: &Matrix<T, B, I>,
        labels: &Matrix<T, B, O>,
        optimizer: &mut Opt,
    ) -> T {
        const { assert!(B == 2 * H, "Worker::train_step: the batch must have 2H samples") };
        let Some(mut job) = self.spare.take() else {
            return net.train_step(x, labels, optimizer);
        };
        // The worker's copy gets this step's parameters.
        self.params.clear();
        net.for_each_param(&mut |_, values| self.params.extend_from_slice(values));
        let mut at = 0;
        job.replica.for_each_param_mut(&mut |_, values| {
            if let Some(source) = self.params.get(at..at + values.len()) {
                values.copy_from_slice(source);
            }
            at += values.len();
        });
        *job.x = half::<T, B, H, I>(x, 0);
        *job.labels = half::<T, B, H, O>(labels, 0);
        let sent = match &self.jobs {
            Some(jobs) => jobs.send(job).map_err(|error| error.0),
            None => Err(job),
        };
        let loss_b =
            half_gradients(net, &half::<T, B, H, I>(x, H), &half(labels, H), &mut self.mine);
        let mut job = match sent.map(|()| self.done.recv()) {
            Ok(Ok(job)) => job,
            // The worker is gone: its half here, and no worker from now on.
            Ok(Err(_)) => return net.train_step(x, labels, optimizer),
            Err(mut job) => {
                let first = half::<T, B, H, I>(x, 0);
                job.loss = half_gradients(net, &first, &half(labels, 0), &mut job.gradients);
                job
            }
        };
        // One update with the mean of the two halves' gradients, tensor by tensor in the
        // order and at the offsets `apply_gradients` uses.
        Optimizer::begin_step(optimizer);
        let mut offset = 0;
        let two = T::ONE + T::ONE;
        net.for_each_param_mut(&mut |_, params| {
            let end = offset + params.len();
            if let (Some(first), Some(second)) =
                (job.gradients.get_mut(offset..end), self.mine.get(offset..end))
            {
                for (f, &s) in first.iter_mut().zip(second) {
                    *f = (*f + s) / two;
                }
                optimizer.update(offset, params, first);
            }
            offset = end;
        });
        let loss = (job.loss + loss_b) / (T::ONE + T::ONE);
        self.spare = Some(job);
        loss
    }
}

impl<T: Element, N, const H: usize, const I: usize, const O: usize> Drop for Worker<T, N, H, I, O> {
    fn drop(&mut self) {
        // Closing the channel ends the worker's loop.
        self.jobs = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The loss of a half batch, and its gradients written flat into `gradients` (in the
/// order and at the offsets the update uses), by the network's fused backward-and-update
/// with an "optimizer" that records instead of updating: no gradients value is built, and
/// the parameters stay as they are.
fn half_gradients<
    T: Element,
    N: Network<T, I, O>,
    const H: usize,
    const I: usize,
    const O: usize,
>(
    net: &mut N,
    x: &Matrix<T, H, I>,
    labels: &Matrix<T, H, O>,
    gradients: &mut Vec<T>,
) -> T {
    let trace = net.forward_trace(x);
    let mut record = Record { values: core::mem::take(gradients) };
    let loss = net.update_from_trace(x, &trace, labels, &mut record);
    *gradients = record.values;
    loss
}

/// Rows `r0..r0 + H` of a batch.
fn half<T: Element, const B: usize, const H: usize, const C: usize>(
    m: &Matrix<T, B, C>,
    r0: usize,
) -> Matrix<T, H, C> {
    let mut out = crate::matrix::zeros::<T, H, C>();
    for (o, column) in out.data.0.iter_mut().zip(&m.data.0) {
        if let Some(rows) = column.get(r0..r0 + H) {
            o.copy_from_slice(rows);
        }
    }
    out
}

/// Keeps every gradient handed to it, at its offset; changes no parameter.
struct Record<T> {
    values: Vec<T>,
}

impl<T: Element> Optimizer<T> for Record<T> {
    fn update(&mut self, offset: usize, _params: &mut [T], grads: &[T]) {
        if self.values.len() < offset + grads.len() {
            self.values.resize(offset + grads.len(), T::ZERO);
        }
        if let Some(slot) = self.values.get_mut(offset..offset + grads.len()) {
            slot.copy_from_slice(grads);
        }
    }
}

/// Updates each tensor by `optimizer` with the mean of its recorded gradient and the one
/// handed in.
struct Average<'a, T, Opt> {
    first: Vec<T>,
    optimizer: &'a mut Opt,
}

impl<T: Element, Opt: Optimizer<T>> Optimizer<T> for Average<'_, T, Opt> {
    fn begin_step(&mut self) {
        self.optimizer.begin_step();
    }

    fn update(&mut self, offset: usize, params: &mut [T], grads: &[T]) {
        let half = T::ONE / (T::ONE + T::ONE);
        if let Some(mean) = self.first.get_mut(offset..offset + grads.len()) {
            for (m, &g) in mean.iter_mut().zip(grads) {
                *m = (*m + g) * half;
            }
            self.optimizer.update(offset, params, mean);
        }
    }
}

#[doc(hidden)]
pub mod doc_network {
    //! A two-layer network written out by hand (what `network!` generates, without the
    //! macro, which core cannot use), for the example and the tests.
    use crate::optim::{Optimizer, ParamName, Parameters};
    use crate::perceptron::PerceptronGradients;
    use crate::{CrossEntropy, Loss, Matrix, Network, Perceptron, Sigmoid, Softmax};

    /// 3 → 4 (sigmoid) → 2 (softmax), in `f64`, with fixed non-zero weights.
    #[derive(Clone, Debug, PartialEq)]
    pub struct TwoLayer {
        /// The hidden layer.
        pub hidden: Perceptron<f64, 3, 4, Sigmoid>,
        /// The output layer.
        pub output: Perceptron<f64, 4, 2, Softmax>,
    }

    impl Default for TwoLayer {
        fn default() -> Self {
            let w = |o: usize, i: usize| ((o * 7 + i * 3) % 11) as f64 / 5.0 - 1.0;
            Self {
                hidden: Perceptron::new(
                    Matrix::from_fn(|i, o| w(o, i)),
                    Matrix::from_fn(|_, o| o as f64 / 10.0),
                ),
                output: Perceptron::new(
                    Matrix::from_fn(|i, o| w(o + 5, i)),
                    Matrix::from_fn(|_, o| -(o as f64) / 10.0),
                ),
            }
        }
    }

    /// The gradients of [`TwoLayer`].
    #[derive(Clone, Debug)]
    pub struct TwoLayerGradients {
        hidden: PerceptronGradients<f64, 3, 4>,
        output: PerceptronGradients<f64, 4, 2>,
    }

    impl Parameters<f64> for TwoLayer {
        type Gradients = TwoLayerGradients;
        const PARAM_COUNT: usize = 3 * 4 + 4 + 4 * 2 + 2;

        fn for_each_param(&self, f: &mut impl FnMut(ParamName<'_>, &[f64])) {
            self.hidden.for_each_param(f);
            self.output.for_each_param(f);
        }

        fn for_each_param_mut(&mut self, f: &mut impl FnMut(ParamName<'_>, &mut [f64])) {
            self.hidden.for_each_param_mut(f);
            self.output.for_each_param_mut(f);
        }

        fn apply_gradients_at<Opt: Optimizer<f64>>(
            &mut self,
            gradients: &TwoLayerGradients,
            optimizer: &mut Opt,
            offset: usize,
        ) {
            self.hidden.apply_gradients_at(&gradients.hidden, optimizer, offset);
            self.output.apply_gradients_at(&gradients.output, optimizer, offset + 16);
        }
    }

    impl Network<f64, 3, 2> for TwoLayer {
        type Activations<const B: usize> = (Matrix<f64, B, 4>, Matrix<f64, B, 2>);

        fn forward<const B: usize>(&self, x: &Matrix<f64, B, 3>) -> Matrix<f64, B, 2> {
            self.output.forward(&self.hidden.forward(x))
        }

        fn forward_trace<const B: usize>(&self, x: &Matrix<f64, B, 3>) -> Self::Activations<B> {
            let hidden = self.hidden.forward(x);
            let output = self.output.forward(&hidden);
            (hidden, output)
        }

        fn output<const B: usize>(activations: &Self::Activations<B>) -> &Matrix<f64, B, 2> {
            &activations.1
        }

        fn backward<const B: usize>(
            &self,
            x: &Matrix<f64, B, 3>,
            (hidden, output): &Self::Activations<B>,
            labels: &Matrix<f64, B, 2>,
        ) -> (f64, TwoLayerGradients) {
            let (loss, grad_z) = <CrossEntropy as Loss<Softmax>>::loss_and_gradient(output, labels);
            let grad_output = self.output.parameter_gradients(hidden, &grad_z);
            let grad_a = self.output.input_gradient(&grad_z);
            let grad_z = self.hidden.pre_activation_gradient(hidden, &grad_a);
            let grad_hidden = self.hidden.parameter_gradients(x, &grad_z);
            (loss, TwoLayerGradients { hidden: grad_hidden, output: grad_output })
        }

        fn loss<const B: usize>(&self, x: &Matrix<f64, B, 3>, labels: &Matrix<f64, B, 2>) -> f64 {
            <CrossEntropy as Loss<Softmax>>::loss(&self.forward(x), labels)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::doc_network::TwoLayer;
    use super::*;
    use crate::optim::{Adam, GradientDescent, Parameters};
    use crate::testing::{rng, uniform};

    /// Labels with one 1 per row, from uniform draws.
    fn one_hot<const B: usize>(seed: u64) -> Matrix<f64, B, 2> {
        let draws = uniform::<B, 1>(&mut rng(seed), 0.0, 1.0);
        Matrix::from_fn(|r, c| if (draws[r] > 0.5) == (c == 1) { 1.0 } else { 0.0 })
    }

    fn same_steps<Opt: Optimizer<f64>>(mut make: impl FnMut() -> Opt) {
        let mut single = TwoLayer::default();
        let mut split = single.clone();
        let (mut opt_single, mut opt_split) = (make(), make());
        for step in 0..5 {
            let x = uniform::<8, 3>(&mut rng(step), -2.0, 2.0);
            let y = one_hot::<8>(step + 100);
            let expected = single.train_step(&x, &y, &mut opt_single);
            let loss = train_step::<4, _, _, _, _, _, _>(&mut split, &x, &y, &mut opt_split);
            assert!((loss - expected).abs() < 1e-12, "step {step}: loss {loss} vs {expected}");
            let mut a = Vec::new();
            single.for_each_param(&mut |_, v| a.extend_from_slice(v));
            let mut b = Vec::new();
            split.for_each_param(&mut |_, v| b.extend_from_slice(v));
            for (i, (p, q)) in a.iter().zip(&b).enumerate() {
                assert!((p - q).abs() < 1e-12, "step {step}, parameter {i}: {p} vs {q}");
            }
        }
        // The steps changed the parameters, so the comparison above compared something.
        assert_ne!(single, TwoLayer::default());
    }

    #[test]
    fn the_kept_worker_gives_the_single_thread_step() {
        let mut single = TwoLayer::default();
        let mut split = single.clone();
        let mut worker = Worker::<f64, TwoLayer, 4, 3, 2>::new(&split);
        let (mut opt_single, mut opt_split) = (
            Adam::<f64, { TwoLayer::PARAM_COUNT }>::new(0.05),
            Adam::<f64, { TwoLayer::PARAM_COUNT }>::new(0.05),
        );
        for step in 0..5 {
            let x = uniform::<8, 3>(&mut rng(step), -2.0, 2.0);
            let y = one_hot::<8>(step + 100);
            let expected = single.train_step(&x, &y, &mut opt_single);
            let loss = worker.train_step(&mut split, &x, &y, &mut opt_split);
            assert!((loss - expected).abs() < 1e-12, "step {step}: loss {loss} vs {expected}");
            let mut a = Vec::new();
            single.for_each_param(&mut |_, v| a.extend_from_slice(v));
            let mut b = Vec::new();
            split.for_each_param(&mut |_, v| b.extend_from_slice(v));
            for (i, (p, q)) in a.iter().zip(&b).enumerate() {
                assert!((p - q).abs() < 1e-12, "step {step}, parameter {i}: {p} vs {q}");
            }
        }
        assert_ne!(single, TwoLayer::default());
    }

    #[test]
    fn two_halves_give_the_single_thread_step() {
        same_steps(|| GradientDescent::new(0.5));
    }

    #[test]
    fn two_halves_give_the_single_thread_step_with_adam() {
        // Adam keeps state per parameter: a gradient at the wrong offset would show.
        same_steps(|| Adam::<f64, { TwoLayer::PARAM_COUNT }>::new(0.05));
    }
}
