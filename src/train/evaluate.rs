//! Evaluation: loss, accuracy and the confusion matrix of a network on a data set.

use crate::data::{Batch, Dataset, LastBatch};
use crate::{Element, Matrix, Network};
use std::fmt;

/// How a network does on a data set.
#[derive(Clone, Debug, PartialEq)]
pub struct Evaluation<const K: usize> {
    /// The network's loss, averaged over every sample.
    pub loss: f64,
    /// The share of samples classified correctly, from 0 to 1.
    pub accuracy: f64,
    /// The number of samples classified correctly.
    pub correct: usize,
    /// The number of samples.
    pub samples: usize,
    /// Which class each sample was given, by its true class.
    pub confusion: ConfusionMatrix<K>,
}

/// Counts of (true class, predicted class) pairs: `counts[actual][predicted]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfusionMatrix<const K: usize> {
    /// `counts[actual][predicted]`: how many samples of class `actual` were classified as
    /// `predicted`. The diagonal holds the correct ones.
    pub counts: [[usize; K]; K],
}

impl<const K: usize> fmt::Display for ConfusionMatrix<K> {
    /// A table with one row per true class and one column per predicted class.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let width = self
            .counts
            .iter()
            .flatten()
            .max()
            .map_or(1, |n| n.to_string().len())
            .max(K.to_string().len());
        write!(f, "{:>w$}", "true\\predicted", w = 15)?;
        for k in 0..K {
            write!(f, " {k:>width$}")?;
        }
        for (actual, row) in self.counts.iter().enumerate() {
            write!(f, "\n{actual:>15}")?;
            for count in row {
                write!(f, " {count:>width$}")?;
            }
        }
        Ok(())
    }
}

/// How many samples [`Dataset::evaluate`] puts through a network at a time.
pub const EVALUATION_BATCH: usize = 64;

impl<T: Element, const N: usize, const K: usize> Dataset<T, N, K> {
    /// Evaluates `net` on every sample: the mean loss, the accuracy and the confusion
    /// matrix. Samples go through the network [`EVALUATION_BATCH`] at a time;
    /// [`evaluate_in_batches`](Self::evaluate_in_batches) chooses another size, which
    /// changes the speed, and the mean loss in its last bits (it is summed batch by batch).
    ///
    /// ```
    /// use ferroflow::prelude::*;
    /// network! {
    ///     struct Classifier<f64> { input: 64, output: Perceptron<10, Softmax> }
    /// }
    /// let digits = ferroflow::data::digits::<f64>();
    /// let evaluation = digits.evaluate(&Classifier::zeros());
    /// // All-zero weights give every class the same probability: a loss of ln 10.
    /// assert!((evaluation.loss - 10f64.ln()).abs() < 1e-12);
    /// assert_eq!(evaluation.samples, 1797);
    /// ```
    pub fn evaluate(&self, net: &impl Network<T, N, K>) -> Evaluation<K> {
        self.evaluate_in_batches::<EVALUATION_BATCH>(net)
    }

    /// [`evaluate`](Self::evaluate), `B` samples at a time. The last, shorter batch is
    /// padded and its padding ignored, so every sample counts exactly once whatever `B` is.
    pub fn evaluate_in_batches<const B: usize>(
        &self,
        net: &impl Network<T, N, K>,
    ) -> Evaluation<K> {
        let mut confusion = ConfusionMatrix { counts: [[0; K]; K] };
        let mut loss = 0.0;
        let mut batches = self.batches::<B>(LastBatch::Pad);
        let mut batch = Box::new(Batch::zeros());
        while batches.fill_next(&mut batch) {
            let predicted = net.classify_batch(&batch.inputs);
            for r in 0..batch.len {
                confusion.counts[batch.classes[r]][predicted[r]] += 1;
            }
            if batch.len == B {
                loss += net.loss(&batch.inputs, &batch.labels).to_f64() * B as f64;
            } else {
                // A loss averages over all B rows, padding included: take the real rows
                // one at a time instead.
                for r in 0..batch.len {
                    let x: Matrix<T, 1, N> = batch.inputs.fixed_rows::<1>(r).into_owned();
                    let y: Matrix<T, 1, K> = batch.labels.fixed_rows::<1>(r).into_owned();
                    loss += net.loss(&x, &y).to_f64();
                }
            }
        }
        let samples = self.len();
        let correct = (0..K).map(|k| confusion.counts[k][k]).sum();
        Evaluation {
            // A data set is never empty.
            loss: loss / samples as f64,
            accuracy: correct as f64 / samples as f64,
            correct,
            samples,
            confusion,
        }
    }
}
