//! The epoch loop: one call per epoch, everything an epoch needs kept between calls.

use super::error::{Divergence, LikelyCause, NonFinite, TrainError};
use crate::data::{Batch, Dataset, LastBatch};
use crate::optim::schedule::{Schedule, Unchanged};
use crate::optim::{LearningRate, OptimizerFor};
use crate::{Element, Network, SeedableRng, SeededRng};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::fmt;
use std::io::IsTerminal;
use std::time::{Duration, Instant};

/// How often the progress bar is redrawn at most, per second: often enough to follow, and
/// rare enough that drawing costs nothing next to training (every batch of the digits took
/// 2 to 8 times as long when each one drew).
const PROGRESS_HZ: u8 = 4;

/// How long the trainer waits between two updates of the progress bar's position and
/// loss, across epochs: the redraw period, so that each update it makes is drawn, and a
/// small data set's epochs (a millisecond each) do not draw and clear a bar each.
const PROGRESS_PERIOD: Duration = Duration::from_millis(1000 / PROGRESS_HZ as u64);

/// When to stop before the last epoch: after `patience` epochs in a row in which the
/// monitored loss (the validation loss, or the training loss without a validation set)
/// did not fall below its best by more than `min_delta`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EarlyStopping {
    /// How many epochs without improvement to accept.
    pub patience: usize,
    /// The smallest fall of the loss that counts as an improvement.
    pub min_delta: f64,
    /// Whether the network ends training with the weights of its best epoch (default: yes).
    pub restore_best: bool,
}

impl EarlyStopping {
    /// Stops after `patience` epochs without improvement, and restores the best weights.
    pub fn new(patience: usize) -> Self {
        Self { patience, min_delta: 0.0, restore_best: true }
    }
}

/// A loss and an accuracy.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Metrics {
    /// The mean loss.
    pub loss: f64,
    /// The share of samples classified correctly, from 0 to 1.
    pub accuracy: f64,
}

/// Why training ends after an epoch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    /// The last of the planned epochs ran.
    Epochs,
    /// The monitored loss stopped improving.
    EarlyStopping {
        /// The epoch (from 1) with the lowest monitored loss.
        best_epoch: usize,
    },
}

/// What one epoch did.
#[derive(Clone, Debug, PartialEq)]
pub struct EpochReport {
    /// The epoch, counting from 1.
    pub epoch: usize,
    /// The number of epochs planned.
    pub epochs: usize,
    /// The learning rate the epoch used.
    pub learning_rate: f64,
    /// On the training set, as the epoch went: the mean of the batch losses, each taken
    /// before its update, and the accuracy of those same forward passes (each sample
    /// counted once).
    pub train: Metrics,
    /// On the validation set, after the epoch.
    pub validation: Option<Metrics>,
    /// Whether the monitored loss reached a new best.
    pub improved: bool,
    /// The wall-clock time of the epoch, evaluation included.
    pub elapsed: Duration,
    /// Set on the last epoch: why training ends.
    pub stop: Option<Stop>,
}

impl fmt::Display for EpochReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let width = self.epochs.to_string().len();
        write!(
            f,
            "epoch {:>width$}/{}  loss {:.4}  accuracy {:5.1}%",
            self.epoch,
            self.epochs,
            self.train.loss,
            100.0 * self.train.accuracy
        )?;
        if let Some(validation) = self.validation {
            write!(
                f,
                "  validation loss {:.4}  accuracy {:5.1}%",
                validation.loss,
                100.0 * validation.accuracy
            )?;
        }
        write!(f, "  rate {:.2e}  {}", self.learning_rate, Elapsed(self.elapsed))?;
        match self.stop {
            Some(Stop::EarlyStopping { best_epoch }) => {
                write!(f, "  (stopping early: best epoch {best_epoch})")
            }
            _ => Ok(()),
        }
    }
}

/// A duration as a person reads it: `12 ms` under a second (`<1 ms` under a millisecond),
/// `1.52 s` from a second on.
struct Elapsed(Duration);

impl fmt::Display for Elapsed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let seconds = self.0.as_secs_f64();
        if seconds >= 1.0 {
            write!(f, "{seconds:.2} s")
        } else if self.0 >= Duration::from_millis(1) {
            write!(f, "{} ms", self.0.as_millis())
        } else {
            f.write_str("<1 ms")
        }
    }
}

/// Trains a network on a data set, one epoch per call to [`epoch`](Trainer::epoch), in
/// mini-batches of `B` samples.
///
/// - Each epoch visits the training samples in a new order drawn from an RNG seeded once
///   with the trainer's seed, so the same seed, the same initial network and the same
///   optimizer give bit-identical weights on every run.
/// - The last batch of an epoch, when `B` does not divide the number of samples, is
///   filled up with samples from the start of the epoch's order
///   ([`LastBatch::Wrap`]): every batch has `B` real samples, so each loss (a mean over
///   the batch) means the same, and every sample is trained on at least once per epoch.
///   [`drop_last`](Trainer::drop_last) leaves those samples out instead.
/// - A learning-rate [`Schedule`] sets the optimizer's rate at the start of each epoch,
///   from the rate it had when training began.
/// - A progress bar (on standard error, shown only on a terminal) follows the batches of
///   each epoch, with the mean loss so far from the first batch on, and clears itself when
///   the epoch ends. It is redrawn at most 4 times a second, so it does not slow training
///   down; [`quiet`](Trainer::quiet) turns it off.
pub struct Trainer<
    'd,
    T: Element,
    const N: usize,
    const K: usize,
    const B: usize = 32,
    S = Unchanged,
> {
    train: &'d Dataset<T, N, K>,
    validation: Option<&'d Dataset<T, N, K>>,
    rng: SeededRng,
    epochs: usize,
    completed: usize,
    schedule: S,
    initial_rate: Option<T>,
    early_stopping: Option<EarlyStopping>,
    best: Option<Best<T>>,
    /// The weights at the start of the current epoch: finite, checked after every batch,
    /// and what a diverged network is given back.
    epoch_start: Vec<T>,
    /// The last finite batch loss, for the message when training diverges.
    last_finite_loss: Option<f64>,
    last: LastBatch,
    quiet: bool,
    /// The earliest time the progress bar may be updated again.
    progress_next: Instant,
    finished: bool,
}

/// The best epoch so far and the weights it ended with.
struct Best<T> {
    loss: f64,
    epoch: usize,
    weights: Vec<T>,
}

impl<'d, T: Element, const N: usize, const K: usize> Trainer<'d, T, N, K> {
    /// A trainer for `train` whose shuffles are drawn from `seed`: batches of 32, 10
    /// epochs, a constant learning rate, no validation set, no early stopping, and a
    /// progress bar.
    pub fn new(train: &'d Dataset<T, N, K>, seed: u64) -> Self {
        Self {
            train,
            validation: None,
            rng: SeededRng::seed_from_u64(seed),
            epochs: 10,
            completed: 0,
            schedule: Unchanged,
            initial_rate: None,
            early_stopping: None,
            best: None,
            epoch_start: Vec::new(),
            last_finite_loss: None,
            last: LastBatch::Wrap,
            quiet: false,
            progress_next: Instant::now(),
            finished: false,
        }
    }
}

impl<'d, T: Element, const N: usize, const K: usize, const B: usize, S: Schedule>
    Trainer<'d, T, N, K, B, S>
{
    /// The same trainer with batches of `B2` samples.
    pub fn batch_size<const B2: usize>(self) -> Trainer<'d, T, N, K, B2, S> {
        Trainer {
            train: self.train,
            validation: self.validation,
            rng: self.rng,
            epochs: self.epochs,
            completed: self.completed,
            schedule: self.schedule,
            initial_rate: self.initial_rate,
            early_stopping: self.early_stopping,
            best: self.best,
            epoch_start: self.epoch_start,
            last_finite_loss: self.last_finite_loss,
            last: self.last,
            quiet: self.quiet,
            progress_next: self.progress_next,
            finished: self.finished,
        }
    }

    /// The same trainer with a learning-rate schedule.
    pub fn schedule<S2: Schedule>(self, schedule: S2) -> Trainer<'d, T, N, K, B, S2> {
        Trainer {
            train: self.train,
            validation: self.validation,
            rng: self.rng,
            epochs: self.epochs,
            completed: self.completed,
            schedule,
            initial_rate: self.initial_rate,
            early_stopping: self.early_stopping,
            best: self.best,
            epoch_start: self.epoch_start,
            last_finite_loss: self.last_finite_loss,
            last: self.last,
            quiet: self.quiet,
            progress_next: self.progress_next,
            finished: self.finished,
        }
    }

    /// Runs at most `epochs` epochs.
    pub fn epochs(mut self, epochs: usize) -> Self {
        self.epochs = epochs;
        self
    }

    /// Evaluates the network on `validation` after each epoch (split one off the training
    /// data with [`Dataset::split`]); early stopping then watches its loss.
    pub fn validation(mut self, validation: &'d Dataset<T, N, K>) -> Self {
        self.validation = Some(validation);
        self
    }

    /// Stops early when the monitored loss stops improving.
    pub fn early_stopping(mut self, early_stopping: EarlyStopping) -> Self {
        self.early_stopping = Some(early_stopping);
        self
    }

    /// Leaves the samples of the last, shorter batch out of each epoch instead of filling
    /// the batch up ([`LastBatch::Drop`]).
    pub fn drop_last(mut self) -> Self {
        self.last = LastBatch::Drop;
        self
    }

    /// No progress bar.
    pub fn quiet(mut self) -> Self {
        self.quiet = true;
        self
    }

    /// The number of epochs run so far.
    pub fn completed(&self) -> usize {
        self.completed
    }

    /// Runs one epoch: sets the learning rate from the schedule, trains on every batch,
    /// evaluates on the validation set, and reports. Returns `Ok(None)` once the planned
    /// epochs have run or early stopping has ended training; with
    /// [`EarlyStopping::restore_best`], `net` then holds the weights of the best epoch.
    ///
    /// # Errors
    /// - [`TrainError::NoFullBatch`] when [`drop_last`](Self::drop_last) would leave every
    ///   sample out.
    /// - [`TrainError::Diverged`] at the first batch whose loss, or whose update of any
    ///   parameter, is not a finite number, or a validation loss that is not: it says
    ///   where, the last finite loss and the likely cause. `net` is then given back
    ///   finite weights (those of the best epoch with [`EarlyStopping::restore_best`],
    ///   else those it had when the epoch began); training is over.
    ///
    /// ```
    /// use ferroflow::prelude::*;
    /// use ferroflow::train::{TrainError, Trainer};
    /// network! {
    ///     struct Digits<f32> { input: 64, output: Perceptron<10, Softmax> }
    /// }
    /// // Pixel counts of 0-16 left unscaled, and an absurd learning rate: the weights
    /// // soon pass `f32::MAX`.
    /// let data = ferroflow::data::digits::<f32>();
    /// let mut net = Digits::zeros();
    /// let mut sgd = GradientDescent::new(1e36);
    /// let mut trainer = Trainer::new(&data, 1).epochs(3).quiet();
    /// let Err(TrainError::Diverged(divergence)) = trainer.epoch(&mut net, &mut sgd) else {
    ///     panic!("a rate of 1e36 diverges");
    /// };
    /// assert_eq!((divergence.epoch, divergence.weights_from_epoch), (1, 0));
    /// assert_eq!(net, Digits::zeros(), "given back the weights it started with");
    /// println!("{}", TrainError::Diverged(divergence));
    /// ```
    pub fn epoch<Net, O>(
        &mut self,
        net: &mut Net,
        optimizer: &mut O,
    ) -> Result<Option<EpochReport>, TrainError>
    where
        Net: Network<T, N, K>,
        O: OptimizerFor<T, Net::Gradients> + LearningRate<T>,
    {
        if self.finished || self.completed >= self.epochs {
            self.finished = true;
            return Ok(None);
        }
        self.check_data()?;
        let started = Instant::now();
        let initial = *self.initial_rate.get_or_insert(optimizer.learning_rate());
        self.schedule.apply(optimizer, initial, self.completed);
        let learning_rate = optimizer.learning_rate().to_f64();
        self.epoch_start.clear();
        net.for_each_param(&mut |_, values| self.epoch_start.extend_from_slice(values));

        let mut batches = self.train.shuffled_batches::<B, _>(&mut self.rng, self.last);
        let batch_count = batches.len();
        let progress = self.progress_bar(batch_count as u64);
        // The bar starts hidden and goes to the terminal at its first update: an epoch
        // shorter than the redraw period between two updates writes nothing at all.
        let live = !self.quiet && std::io::stderr().is_terminal();
        let mut shown = false;
        // One batch on the heap, refilled: `B × N` values can be large.
        let mut batch = Box::new(Batch::zeros());
        let (mut loss_sum, mut steps, mut correct, mut counted) = (0.0, 0usize, 0usize, 0usize);
        let mut last_finite_loss = self.last_finite_loss;
        while batches.fill_next(&mut batch) {
            let activations = net.forward_trace(&batch.inputs);
            let predicted = crate::matrix::argmax_rows(Net::output(&activations));
            // Samples repeated to fill the last batch are trained on but counted once.
            let fresh = batch.len.min(self.train.len() - counted);
            correct += (0..fresh).filter(|&r| predicted[r] == batch.classes[r]).count();
            counted += fresh;
            let loss = net.update_from_trace(&batch.inputs, &activations, &batch.labels, optimizer);
            steps += 1;
            // A NaN never reaches the mean, the best loss or the saved weights: the first
            // one ends training. The parameter check costs one pass over the weights, a
            // small share of a step that multiplies each of them by `B` values twice.
            let found = if loss.to_f64().is_finite() {
                (!net.all_finite()).then(|| NonFinite::find_parameter(net)).flatten()
            } else {
                Some(NonFinite::Loss(loss.to_f64()))
            };
            if let Some(found) = found {
                progress.finish_and_clear();
                let at = Some(steps);
                return Err(self.diverged(
                    net,
                    found,
                    at,
                    batch_count,
                    last_finite_loss,
                    learning_rate,
                ));
            }
            last_finite_loss = Some(loss.to_f64());
            loss_sum += loss.to_f64();
            // The bar is told only what it will draw: at most one update per redraw period
            // (formatting the loss on every batch costs as much as a small batch's step),
            // the first one as early as the first batch of training.
            if live {
                let now = Instant::now();
                if now >= self.progress_next {
                    if !shown {
                        progress.set_draw_target(ProgressDrawTarget::stderr_with_hz(PROGRESS_HZ));
                        shown = true;
                    }
                    // The loss first: no frame shows the position without it.
                    progress.set_message(format!("{:.4}", loss_sum / steps as f64));
                    progress.set_position(steps as u64);
                    self.progress_next = now + PROGRESS_PERIOD;
                }
            }
        }
        progress.finish_and_clear();
        self.last_finite_loss = last_finite_loss;
        // A data set is never empty, and `check_data` saw at least one batch.
        let train =
            Metrics { loss: loss_sum / steps as f64, accuracy: correct as f64 / counted as f64 };
        let validation = self.validation.map(|data| {
            let evaluation = data.evaluate_in_batches::<B>(net);
            Metrics { loss: evaluation.loss, accuracy: evaluation.accuracy }
        });
        if let Some(loss) = validation.map(|v| v.loss).filter(|loss| !loss.is_finite()) {
            let found = NonFinite::ValidationLoss(loss);
            return Err(self.diverged(
                net,
                found,
                None,
                batch_count,
                last_finite_loss,
                learning_rate,
            ));
        }
        self.completed += 1;

        let monitored = validation.map_or(train.loss, |v| v.loss);
        let min_delta = self.early_stopping.map_or(0.0, |e| e.min_delta);
        let improved = self.best.as_ref().is_none_or(|best| monitored < best.loss - min_delta);
        if improved {
            let best = self.best.get_or_insert_with(|| Best {
                loss: monitored,
                epoch: 0,
                weights: Vec::with_capacity(Net::PARAM_COUNT),
            });
            best.loss = monitored;
            best.epoch = self.completed;
            if self.early_stopping.is_some_and(|e| e.restore_best) {
                best.weights.clear();
                net.for_each_param(&mut |_, values| best.weights.extend_from_slice(values));
            }
        }
        let best_epoch = self.best.as_ref().map_or(self.completed, |b| b.epoch);
        let stale = self.completed - best_epoch;
        let stop = match self.early_stopping {
            // `stale` epochs in a row without a new best (Keras counts the same way).
            Some(e) if stale > 0 && stale >= e.patience => Some(Stop::EarlyStopping { best_epoch }),
            _ if self.completed >= self.epochs => Some(Stop::Epochs),
            _ => None,
        };
        if stop.is_some() {
            self.finished = true;
            if let Some(best) = self.best_to_restore() {
                set_params(net, &best.weights);
            }
        }
        Ok(Some(EpochReport {
            epoch: self.completed,
            epochs: self.epochs,
            learning_rate,
            train,
            validation,
            improved,
            elapsed: started.elapsed(),
            stop,
        }))
    }

    /// The error that no epoch can train past: no batch. (A [`Dataset`] is never empty.)
    fn check_data(&self) -> Result<(), TrainError> {
        if self.last == LastBatch::Drop && self.train.len() < B {
            return Err(TrainError::NoFullBatch { samples: self.train.len(), batch: B });
        }
        Ok(())
    }

    /// The best epoch's weights, when early stopping is to end training with them.
    fn best_to_restore(&self) -> Option<&Best<T>> {
        self.best.as_ref().filter(|_| self.early_stopping.is_some_and(|e| e.restore_best))
    }

    /// Ends training after a non-finite value: gives `net` back finite weights and says
    /// what happened.
    fn diverged<Net: Network<T, N, K>>(
        &mut self,
        net: &mut Net,
        found: NonFinite,
        batch: Option<usize>,
        batches: usize,
        last_finite_loss: Option<f64>,
        rate: f64,
    ) -> TrainError {
        self.finished = true;
        let weights_from_epoch = match self.best_to_restore() {
            Some(best) => {
                set_params(net, &best.weights);
                best.epoch
            }
            None => {
                set_params(net, &self.epoch_start);
                self.completed
            }
        };
        TrainError::Diverged(Box::new(Divergence {
            epoch: self.completed + 1,
            batch,
            batches,
            found,
            last_finite_loss,
            cause: LikelyCause::diagnose(self.train, rate),
            weights_from_epoch,
        }))
    }

    /// This epoch's bar, hidden: [`epoch`](Self::epoch) sends it to the terminal when it
    /// first has something to show.
    fn progress_bar(&self, batches: u64) -> ProgressBar {
        let bar = ProgressBar::with_draw_target(Some(batches), ProgressDrawTarget::hidden());
        let template = "epoch {prefix} {bar:30} {pos}/{len} batches  loss {msg}  {elapsed}";
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style);
        }
        bar.set_prefix(format!("{}/{}", self.completed + 1, self.epochs));
        bar
    }
}

/// Sets every parameter of `net` from `values`, in [`Parameters::for_each_param`]'s order.
///
/// [`Parameters::for_each_param`]: crate::optim::Parameters::for_each_param
fn set_params<T: Element, Net: crate::optim::Parameters<T>>(net: &mut Net, values: &[T]) {
    let mut at = 0;
    net.for_each_param_mut(&mut |_, params| {
        params.copy_from_slice(&values[at..at + params.len()]);
        at += params.len();
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(elapsed: Duration) -> String {
        let metrics = Metrics { loss: 0.5, accuracy: 0.75 };
        EpochReport {
            epoch: 3,
            epochs: 10,
            learning_rate: 0.01,
            train: metrics,
            validation: None,
            improved: true,
            elapsed,
            stop: None,
        }
        .to_string()
    }

    #[test]
    fn epoch_times_under_a_second_are_in_milliseconds() {
        let line = "epoch  3/10  loss 0.5000  accuracy  75.0%  rate 1.00e-2  ";
        assert_eq!(report(Duration::from_micros(12_400)), format!("{line}12 ms"));
        assert_eq!(report(Duration::from_micros(999_400)), format!("{line}999 ms"));
        assert_eq!(report(Duration::from_micros(400)), format!("{line}<1 ms"));
        assert_eq!(report(Duration::from_millis(1_520)), format!("{line}1.52 s"));
        assert_eq!(report(Duration::from_secs(1)), format!("{line}1.00 s"));
    }
}
