//! k-fold cross-validation: the caller trains and scores a network on each fold; this
//! makes the folds and gathers the scores.

use super::evaluate::Evaluation;
use crate::data::{DataError, Dataset};
use crate::{Element, SeedableRng, SeededRng};
use std::fmt;

/// The figures of one evaluation that cross-validation averages.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scores {
    /// The mean loss.
    pub loss: f64,
    /// The share of samples classified correctly.
    pub accuracy: f64,
    /// The macro-averaged precision (see [`ClassificationReport`](super::ClassificationReport)).
    pub macro_precision: f64,
    /// The macro-averaged recall.
    pub macro_recall: f64,
    /// The macro-averaged F1.
    pub macro_f1: f64,
    /// The support-weighted F1.
    pub weighted_f1: f64,
}

impl<const K: usize> Evaluation<K> {
    /// The evaluation's loss, accuracy and averaged precision, recall and F1.
    pub fn scores(&self) -> Scores {
        let report = self.report();
        Scores {
            loss: self.loss,
            accuracy: self.accuracy,
            macro_precision: report.macro_avg.precision,
            macro_recall: report.macro_avg.recall,
            macro_f1: report.macro_avg.f1,
            weighted_f1: report.weighted_avg.f1,
        }
    }
}

impl Scores {
    /// The field-by-field mean of `scores` (not empty).
    fn mean(scores: &[Scores]) -> Scores {
        let n = scores.len() as f64;
        let mean = |f: fn(&Scores) -> f64| scores.iter().map(f).sum::<f64>() / n;
        Scores {
            loss: mean(|s| s.loss),
            accuracy: mean(|s| s.accuracy),
            macro_precision: mean(|s| s.macro_precision),
            macro_recall: mean(|s| s.macro_recall),
            macro_f1: mean(|s| s.macro_f1),
            weighted_f1: mean(|s| s.weighted_f1),
        }
    }
}

/// The scores of each fold of a cross-validation and their mean.
#[derive(Clone, Debug, PartialEq)]
pub struct CrossValidation {
    /// Fold `i`'s scores: those of the network trained on the other folds, on fold `i`.
    pub folds: Vec<Scores>,
    /// The plain mean of the folds' scores, each fold counting the same whatever its size
    /// (the folds differ by one sample at most).
    pub mean: Scores,
}

impl fmt::Display for CrossValidation {
    /// A table: one row per fold, then the mean.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:>6} {:>9} {:>9} {:>9} {:>11}",
            "fold", "loss", "accuracy", "macro f1", "weighted f1"
        )?;
        let row = |f: &mut fmt::Formatter<'_>, name: &str, s: &Scores| {
            write!(
                f,
                "\n{name:>6} {:>9.4} {:>9.4} {:>9.4} {:>11.4}",
                s.loss, s.accuracy, s.macro_f1, s.weighted_f1
            )
        };
        for (i, scores) in self.folds.iter().enumerate() {
            row(f, &(i + 1).to_string(), scores)?;
        }
        row(f, "mean", &self.mean)
    }
}

/// Stratified k-fold cross-validation of whatever `train_and_score` trains: for each of
/// the `k` folds of `data` ([`Dataset::folds`], drawn from an RNG seeded with `seed`), calls
/// `train_and_score(training set, validation fold)` and keeps the [`Scores`] it returns.
///
/// The closure builds, trains and evaluates its own network, so any network and any
/// training loop fit; it is called once per fold, in order, and only that fold's copies
/// of the data are held during the call. The first error it returns
/// ends the cross-validation and is returned; so are the errors of [`Dataset::folds`]
/// (`k` below 2 or above the number of samples), converted by `From`.
///
/// ```
/// use ferroflow::prelude::*;
/// use ferroflow::train::{Trainer, cross_validate};
/// network! {
///     struct Linear<f64> { input: 64, output: Perceptron<10, Softmax> }
/// }
/// let mut digits = ferroflow::data::digits::<f64>();
/// digits.scale(1.0 / 16.0);
/// let result = cross_validate(&digits, 3, 7, |train, validation| {
///     let mut net = Linear::random(&mut SeededRng::seed_from_u64(1));
///     let mut adam = Adam::new(0.01);
///     let mut trainer = Trainer::new(train, 1).epochs(1).quiet();
///     while trainer.epoch(&mut net, &mut adam)?.is_some() {}
///     Ok::<_, Box<dyn std::error::Error>>(validation.evaluate(&net).scores())
/// })?;
/// assert_eq!(result.folds.len(), 3);
/// assert!(result.mean.accuracy > 0.8);
/// println!("{result}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// The first error `train_and_score` returns (the folds after it are not run); and, before
/// `train_and_score` is called at all, the
/// [`DataErrorKind::EmptySplit`](crate::data::DataErrorKind::EmptySplit) of
/// [`Dataset::folds`] for `k` below 2 or above the number of samples, converted into `E`.
pub fn cross_validate<T, const N: usize, const K: usize, E>(
    data: &Dataset<T, N, K>,
    k: usize,
    seed: u64,
    mut train_and_score: impl FnMut(&Dataset<T, N, K>, &Dataset<T, N, K>) -> Result<Scores, E>,
) -> Result<CrossValidation, E>
where
    T: Element,
    E: From<DataError>,
{
    // One fold's copies at a time: k pairs at once would hold k copies of the data.
    let fold = data.fold_of_each_sample(k, &mut SeededRng::seed_from_u64(seed))?;
    let scores = (0..k)
        .map(|v| {
            let (train, validation) = data.fold_pair(&fold, v);
            train_and_score(&train, &validation)
        })
        .collect::<Result<Vec<_>, E>>()?;
    let mean = Scores::mean(&scores);
    Ok(CrossValidation { folds: scores, mean })
}
