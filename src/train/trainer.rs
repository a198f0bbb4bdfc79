//! The epoch loop: one call per epoch, everything an epoch needs kept between calls.

use crate::data::{Batch, Dataset, LastBatch};
use crate::optim::schedule::{Constant, Schedule};
use crate::optim::{LearningRate, OptimizerFor};
use crate::{Element, Network, SeedableRng, SeededRng};
use indicatif::{ProgressBar, ProgressStyle};
use std::fmt;
use std::time::{Duration, Instant};

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
        write!(f, "  rate {:.2e}  {:.2} s", self.learning_rate, self.elapsed.as_secs_f64())?;
        match self.stop {
            Some(Stop::EarlyStopping { best_epoch }) => {
                write!(f, "  (stopping early: best epoch {best_epoch})")
            }
            _ => Ok(()),
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
///   each epoch and clears itself when the epoch ends; [`quiet`](Trainer::quiet) turns it
///   off.
pub struct Trainer<
    'd,
    T: Element,
    const N: usize,
    const K: usize,
    const B: usize = 32,
    S = Constant,
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
    last: LastBatch,
    quiet: bool,
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
            schedule: Constant,
            initial_rate: None,
            early_stopping: None,
            best: None,
            last: LastBatch::Wrap,
            quiet: false,
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
            last: self.last,
            quiet: self.quiet,
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
            last: self.last,
            quiet: self.quiet,
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
    /// evaluates on the validation set, and reports. Returns `None` once the planned
    /// epochs have run or early stopping has ended training; with
    /// [`EarlyStopping::restore_best`], `net` then holds the weights of the best epoch.
    pub fn epoch<Net, O>(&mut self, net: &mut Net, optimizer: &mut O) -> Option<EpochReport>
    where
        Net: Network<T, N, K>,
        O: OptimizerFor<T, Net::Gradients> + LearningRate<T>,
    {
        if self.finished || self.completed >= self.epochs {
            self.finished = true;
            return None;
        }
        let started = Instant::now();
        let initial = *self.initial_rate.get_or_insert(optimizer.learning_rate());
        self.schedule.apply(optimizer, initial, self.completed);
        let learning_rate = optimizer.learning_rate().to_f64();

        let mut batches = self.train.shuffled_batches::<B, _>(&mut self.rng, self.last);
        let progress = self.progress_bar(batches.len() as u64);
        // One batch on the heap, refilled: `B × N` values can be large.
        let mut batch = Box::new(Batch::zeros());
        let (mut loss_sum, mut steps, mut correct, mut counted) = (0.0, 0usize, 0usize, 0usize);
        while batches.fill_next(&mut batch) {
            let activations = net.forward_trace(&batch.inputs);
            let predicted = crate::matrix::argmax_rows(Net::output(&activations));
            // Samples repeated to fill the last batch are trained on but counted once.
            let fresh = batch.len.min(self.train.len() - counted);
            correct += (0..fresh).filter(|&r| predicted[r] == batch.classes[r]).count();
            counted += fresh;
            let loss = net.update_from_trace(&batch.inputs, &activations, &batch.labels, optimizer);
            loss_sum += loss.to_f64();
            steps += 1;
            progress.inc(1);
            if steps % 16 == 0 {
                progress.set_message(format!("{:.4}", loss_sum / steps as f64));
            }
        }
        progress.finish_and_clear();
        let train = Metrics {
            loss: loss_sum / steps.max(1) as f64,
            accuracy: correct as f64 / counted.max(1) as f64,
        };
        let validation = self.validation.map(|data| {
            let evaluation = data.evaluate_in_batches::<B>(net);
            Metrics { loss: evaluation.loss, accuracy: evaluation.accuracy }
        });
        self.completed += 1;

        let monitored = validation.map_or(train.loss, |v| v.loss);
        let min_delta = self.early_stopping.map_or(0.0, |e| e.min_delta);
        // A NaN best (a diverged first epoch) is beaten by any number, so early stopping
        // never restores NaN weights over finite ones.
        let improved = self
            .best
            .as_ref()
            .is_none_or(|best| best.loss.is_nan() || monitored < best.loss - min_delta);
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
            if let (Some(best), Some(true)) =
                (&self.best, self.early_stopping.map(|e| e.restore_best))
            {
                let mut at = 0;
                net.for_each_param_mut(&mut |_, values| {
                    values.copy_from_slice(&best.weights[at..at + values.len()]);
                    at += values.len();
                });
            }
        }
        Some(EpochReport {
            epoch: self.completed,
            epochs: self.epochs,
            learning_rate,
            train,
            validation,
            improved,
            elapsed: started.elapsed(),
            stop,
        })
    }

    fn progress_bar(&self, batches: u64) -> ProgressBar {
        if self.quiet {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::new(batches);
        let template = "epoch {prefix} {bar:30} {pos}/{len} batches  loss {msg}  {elapsed}";
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style);
        }
        bar.set_prefix(format!("{}/{}", self.completed + 1, self.epochs));
        bar
    }
}
