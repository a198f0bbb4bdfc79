//! The figures people report for a classifier: per-class precision, recall and F1 with
//! their macro and weighted averages ([`ClassificationReport`]), and the area under the ROC
//! curve of a two-class one ([`roc_auc`]).

use super::evaluate::{ConfusionMatrix, EVALUATION_BATCH, Evaluation};
use crate::data::{Batch, Dataset, LastBatch};
use crate::{Element, Network};
use std::fmt;

/// Precision, recall, F1 and support of one class. A 0/0 is 0 (see
/// [`ClassificationReport`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ClassMetrics {
    /// tp / (tp + fp); 0 when the class was never predicted.
    pub precision: f64,
    /// tp / (tp + fn); 0 when the class has no samples.
    pub recall: f64,
    /// 2·tp / (2·tp + fp + fn); 0 when the class was neither present nor predicted.
    pub f1: f64,
    /// The samples of the class (tp + fn).
    pub support: usize,
    /// The samples classified as the class (tp + fp): 0 means the precision is a 0/0.
    pub predicted: usize,
}

/// A mean of precision, recall and F1 over classes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Averages {
    /// The mean precision.
    pub precision: f64,
    /// The mean recall.
    pub recall: f64,
    /// The mean F1 (the mean of the classes' F1, not the F1 of the mean precision and
    /// recall).
    pub f1: f64,
}

/// Per-class precision, recall and F1 and their averages, from a [`ConfusionMatrix`]
/// ([`ConfusionMatrix::report`], [`Evaluation::report`]); its `Display` is a table a person
/// reads.
///
/// From `counts[actual][predicted]`, for each class `k`, with `tp` the samples of class `k` classified as `k`, `fp` the samples of other classes
/// classified as `k` and `fn` the samples of class `k` classified as something else:
///
/// - precision = tp / (tp + fp), the share of the samples called `k` that are `k`;
/// - recall = tp / (tp + fn), the share of the samples of class `k` that were found;
/// - F1 = 2·tp / (2·tp + fp + fn), the harmonic mean of the two;
/// - support = tp + fn, the number of samples of class `k`.
///
/// **A 0/0 is 0**, as scikit-learn's `zero_division=0`: a class never predicted has a
/// precision of 0, a class with no samples a recall of 0, and a class neither present nor
/// predicted an F1 of 0. [`ClassMetrics::predicted`] and [`ClassMetrics::support`] say when
/// that happened (`predicted == 0` or `support == 0`).
///
/// The **macro average** is the plain mean over the classes that occur, in the true
/// classes or in the predictions (a class that appears in neither says nothing about the
/// classifier and is left out, as scikit-learn does when it is not given the labels); the
/// **weighted average** weighs each class by its support.
///
/// ```
/// use ferroflow::train::ConfusionMatrix;
/// // 3 samples of class 0, 2 of them found; 2 of class 1, both found.
/// let confusion = ConfusionMatrix { counts: [[2, 1], [0, 2]] };
/// let report = confusion.report().with_names(&["cat", "dog"]);
/// assert_eq!(report.classes[0].precision, 1.0); // 2 / (2 + 0)
/// assert_eq!(report.classes[1].precision, 2.0 / 3.0); // 2 / (2 + 1)
/// assert_eq!(report.accuracy, 0.8);
/// println!("{report}");
/// ```
///
/// prints
///
/// ```text
///               precision    recall  f1-score   support
///
///          cat     1.0000    0.6667    0.8000         3
///          dog     0.6667    1.0000    0.8000         2
///
///     accuracy                         0.8000         5
///    macro avg     0.8333    0.8333    0.8000         5
/// weighted avg     0.8667    0.8000    0.8000         5
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct ClassificationReport<const K: usize> {
    /// Each class's figures, by class index.
    pub classes: [ClassMetrics; K],
    /// The share of samples classified correctly (0 for a matrix of no samples).
    pub accuracy: f64,
    /// The plain mean over the classes that occur in the true classes or the predictions.
    pub macro_avg: Averages,
    /// The mean over the classes weighted by their support.
    pub weighted_avg: Averages,
    /// The number of samples.
    pub samples: usize,
    /// The classes' names for the table, when given by
    /// [`with_names`](Self::with_names); their indices otherwise.
    pub names: Option<Vec<String>>,
}

/// `numerator / denominator`, 0 when the denominator is 0.
fn ratio(numerator: usize, denominator: usize) -> f64 {
    if denominator == 0 { 0.0 } else { numerator as f64 / denominator as f64 }
}

impl<const K: usize> ConfusionMatrix<K> {
    /// Per-class precision, recall and F1, their macro and weighted averages, and the
    /// accuracy.
    pub fn report(&self) -> ClassificationReport<K> {
        let samples: usize = self.counts.iter().flatten().sum();
        let correct: usize = (0..K).map(|k| self.counts[k][k]).sum();
        let classes: [ClassMetrics; K] = core::array::from_fn(|k| {
            let tp = self.counts[k][k];
            let support: usize = self.counts[k].iter().sum();
            let predicted: usize = self.counts.iter().map(|row| row[k]).sum();
            let (fp, fn_) = (predicted - tp, support - tp);
            ClassMetrics {
                precision: ratio(tp, predicted),
                recall: ratio(tp, support),
                f1: ratio(2 * tp, 2 * tp + fp + fn_),
                support,
                predicted,
            }
        });
        let occurring: Vec<&ClassMetrics> =
            classes.iter().filter(|c| c.support > 0 || c.predicted > 0).collect();
        let mean = |f: fn(&ClassMetrics) -> f64| {
            if occurring.is_empty() {
                0.0
            } else {
                occurring.iter().map(|c| f(c)).sum::<f64>() / occurring.len() as f64
            }
        };
        let weighted = |f: fn(&ClassMetrics) -> f64| {
            if samples == 0 {
                0.0
            } else {
                classes.iter().map(|c| f(c) * c.support as f64).sum::<f64>() / samples as f64
            }
        };
        ClassificationReport {
            classes,
            accuracy: ratio(correct, samples),
            macro_avg: Averages {
                precision: mean(|c| c.precision),
                recall: mean(|c| c.recall),
                f1: mean(|c| c.f1),
            },
            weighted_avg: Averages {
                precision: weighted(|c| c.precision),
                recall: weighted(|c| c.recall),
                f1: weighted(|c| c.f1),
            },
            samples,
            names: None,
        }
    }
}

impl<const K: usize> Evaluation<K> {
    /// The [`ClassificationReport`] of the evaluation's confusion matrix.
    pub fn report(&self) -> ClassificationReport<K> {
        self.confusion.report()
    }
}

impl<const K: usize> ClassificationReport<K> {
    /// The same report, naming class `k` `names[k]` in its table (for example a data set's
    /// class names, or `["negative", "positive"]`).
    ///
    /// # Panics
    ///
    /// If `names` does not hold exactly `K` names.
    pub fn with_names(mut self, names: &[impl AsRef<str>]) -> Self {
        assert_eq!(names.len(), K, "a report of {K} classes needs {K} names, not {}", names.len());
        self.names = Some(names.iter().map(|n| n.as_ref().to_owned()).collect());
        self
    }
}

impl<const K: usize> fmt::Display for ClassificationReport<K> {
    /// One row per class (precision, recall, F1, support), then the accuracy and the macro
    /// and weighted averages, to four decimals.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = |k: usize| match &self.names {
            Some(names) => names[k].clone(),
            None => k.to_string(),
        };
        let width = (0..K)
            .map(|k| label(k).chars().count())
            .chain([12]) // "weighted avg"
            .max()
            .unwrap_or(12);
        let support = self.samples.to_string().len().max(7);
        let row = |f: &mut fmt::Formatter<'_>, name: &str, a: &Averages, n: usize| {
            write!(
                f,
                "\n{name:>width$} {:>10.4} {:>9.4} {:>9.4} {n:>s$}",
                a.precision,
                a.recall,
                a.f1,
                s = support + 2
            )
        };
        writeln!(
            f,
            "{:>width$} {:>10} {:>9} {:>9} {:>s$}",
            "",
            "precision",
            "recall",
            "f1-score",
            "support",
            s = support + 2
        )?;
        for (k, class) in self.classes.iter().enumerate() {
            let averages =
                Averages { precision: class.precision, recall: class.recall, f1: class.f1 };
            row(f, &label(k), &averages, class.support)?;
        }
        write!(
            f,
            "\n\n{:>width$} {:>10} {:>9} {:>9.4} {:>s$}",
            "accuracy",
            "",
            "",
            self.accuracy,
            self.samples,
            s = support + 2
        )?;
        row(f, "macro avg", &self.macro_avg, self.samples)?;
        row(f, "weighted avg", &self.weighted_avg, self.samples)
    }
}

/// The area under the ROC curve of `scores` against the classes `positives` (`true` for
/// a sample of the positive class); `None` when there is no positive or no negative
/// sample (the area is then undefined), or a score is NaN.
///
/// The area is the chance that a positive sample, drawn at random, scores above a
/// negative one drawn at random, a tie counting one half. It is computed exactly from the
/// ranks of the scores (the Mann–Whitney statistic, tied scores sharing the mean of their
/// ranks), which is the trapezoid area under the curve; the result is the one rounding of
/// an integer ratio. [`Dataset::roc_auc`] takes the scores from a two-output network: its
/// output for class 1.
///
/// ```
/// use ferroflow::train::roc_auc;
/// // Pairs (positive, negative): (0.8, 0.1) (0.8, 0.4) (0.4, 0.1) above, (0.4, 0.4) tied:
/// // (3 + ½) / 4.
/// let auc = roc_auc(&[0.1, 0.4, 0.4, 0.8], &[false, false, true, true]);
/// assert_eq!(auc, Some(0.875));
/// assert_eq!(roc_auc(&[0.1, 0.4], &[true, true]), None); // no negative sample
/// ```
///
/// # Panics
///
/// If `scores` and `positives` differ in length.
pub fn roc_auc(scores: &[f64], positives: &[bool]) -> Option<f64> {
    assert_eq!(scores.len(), positives.len(), "one class per score");
    if scores.iter().any(|s| s.is_nan()) {
        return None;
    }
    let n = scores.len();
    let p = positives.iter().filter(|&&b| b).count();
    let q = n - p;
    if p == 0 || q == 0 {
        return None;
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    // Twice the sum of the positives' ranks (from 1): a run of tied scores over the ranks
    // first..=last gives each the rank (first + last) / 2, so twice that is an integer.
    let mut twice_rank_sum: u128 = 0;
    let mut start = 0;
    while start < n {
        let mut end = start + 1;
        // -0.0 and 0.0 are the same score.
        while end < n && scores[order[end]] == scores[order[start]] {
            end += 1;
        }
        let positives_in_run = order[start..end].iter().filter(|&&i| positives[i]).count();
        // Ranks start + 1 ..= end.
        twice_rank_sum += positives_in_run as u128 * (start as u128 + 1 + end as u128);
        start = end;
    }
    // Mann–Whitney: U = rank sum − p(p + 1)/2 counts the (positive, negative) pairs in
    // order, ties as ½; AUC = U / (p q).
    let twice_u = twice_rank_sum - p as u128 * (p as u128 + 1);
    Some(twice_u as f64 / (2 * p as u128 * q as u128) as f64)
}

impl<T: Element, const N: usize> Dataset<T, N, 2> {
    /// The area under the ROC curve of `net`'s output for class 1 (its probability, for a
    /// softmax or sigmoid output) against the samples' classes, class 1 being the positive
    /// one: see [`roc_auc`]. `None` when the data set holds one class only, or an output
    /// is NaN.
    ///
    /// ```
    /// use ferroflow::data::Dataset;
    /// use ferroflow::prelude::*;
    /// network! {
    ///    struct Score<f64> { input: 1, output: Perceptron<2, Softmax> }
    /// }
    /// let data = Dataset::<f64, 1, 2>::new(vec![[0.0], [1.0], [2.0], [3.0]], vec![0, 1, 0, 1])?;
    /// // Any network whose class-1 output grows with the feature ranks the samples by it:
    /// // of the pairs (1, 0), (1, 2), (3, 0), (3, 2), three are in order.
    /// let mut net = Score::zeros();
    /// net.output.weights[(0, 1)] = 1.0;
    /// assert_eq!(data.roc_auc(&net), Some(0.75));
    /// # Ok::<(), ferroflow::data::DataError>(())
    /// ```
    pub fn roc_auc(&self, net: &impl Network<T, N, 2>) -> Option<f64> {
        let mut scores = Vec::with_capacity(self.len());
        let mut batches = self.batches::<EVALUATION_BATCH>(LastBatch::Pad);
        let mut batch = Box::new(Batch::zeros());
        while batches.fill_next(&mut batch) {
            let outputs = net.forward(&batch.inputs);
            scores.extend((0..batch.len).map(|r| outputs[(r, 1)].to_f64()));
        }
        let positives: Vec<bool> = self.labels().iter().map(|&l| l == 1).collect();
        roc_auc(&scores, &positives)
    }
}
