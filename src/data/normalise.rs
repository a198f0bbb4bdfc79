//! Normalisation: statistics fitted on the training set, applied to every set.
//!
//! Fitting on the training set alone keeps the test set unseen: its samples are
//! transformed with the training set's numbers, as they would be in use.

use super::dataset::Dataset;
use crate::Element;

/// Scales each feature to `[0, 1]` by the training set's minimum and maximum of it:
/// `x ↦ (x − min) / (max − min)`. A feature that is constant in the training set maps to 0.
///
/// ```
/// use ferroflow::data::{Dataset, MinMax};
/// let mut train = Dataset::<f64, 2, 2>::new(vec![[0.0, 5.0], [10.0, 5.0]], vec![0, 1])?;
/// let scaling = MinMax::fit(&train);
/// scaling.apply(&mut train);
/// assert_eq!(train.features(), [[0.0, 0.0], [1.0, 0.0]]);
/// # Ok::<(), ferroflow::data::DataError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MinMax<T: Element, const N: usize> {
    /// The smallest value of each feature in the training set.
    pub min: [T; N],
    /// The largest value of each feature in the training set.
    pub max: [T; N],
}

impl<T: Element, const N: usize> MinMax<T, N> {
    /// The minimum and maximum of every feature of `train` (zeros for an empty set).
    pub fn fit<const K: usize>(train: &Dataset<T, N, K>) -> Self {
        let mut samples = train.features().iter();
        let Some(first) = samples.next() else {
            return Self { min: [T::ZERO; N], max: [T::ZERO; N] };
        };
        let (mut min, mut max) = (*first, *first);
        for sample in samples {
            for j in 0..N {
                if sample[j] < min[j] {
                    min[j] = sample[j];
                }
                if sample[j] > max[j] {
                    max[j] = sample[j];
                }
            }
        }
        Self { min, max }
    }

    /// Transforms `data` with these statistics.
    pub fn apply<const K: usize>(&self, data: &mut Dataset<T, N, K>) {
        data.map_features(|j, x| {
            let range = self.max[j] - self.min[j];
            if range > T::ZERO { (x - self.min[j]) / range } else { T::ZERO }
        });
    }
}

/// Standardises each feature by the training set's mean and standard deviation of it:
/// `x ↦ (x − mean) / std`. A feature that is constant in the training set is only centred.
///
/// ```
/// use ferroflow::data::{Dataset, Standardise};
/// let mut train = Dataset::<f64, 1, 2>::new(vec![[1.0], [3.0]], vec![0, 1])?;
/// let standardise = Standardise::fit(&train);
/// assert_eq!((standardise.mean, standardise.std), ([2.0], [1.0]));
/// standardise.apply(&mut train);
/// assert_eq!(train.features(), [[-1.0], [1.0]]);
/// # Ok::<(), ferroflow::data::DataError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Standardise<T: Element, const N: usize> {
    /// The mean of each feature in the training set.
    pub mean: [T; N],
    /// The standard deviation of each feature in the training set (population, `1/n`).
    pub std: [T; N],
}

impl<T: Element, const N: usize> Standardise<T, N> {
    /// The mean and standard deviation of every feature of `train`, summed in `f64`
    /// (mean 0 and deviation 1 for an empty set).
    pub fn fit<const K: usize>(train: &Dataset<T, N, K>) -> Self {
        let n = train.len() as f64;
        if train.is_empty() {
            return Self { mean: [T::ZERO; N], std: [T::ONE; N] };
        }
        let mut mean = [0.0f64; N];
        for sample in train.features() {
            for j in 0..N {
                mean[j] += sample[j].to_f64();
            }
        }
        mean.iter_mut().for_each(|m| *m /= n);
        // Two passes: summing squared deviations avoids the cancellation of E[x²] − E[x]².
        let mut variance = [0.0f64; N];
        for sample in train.features() {
            for j in 0..N {
                let d = sample[j].to_f64() - mean[j];
                variance[j] += d * d;
            }
        }
        Self { mean: mean.map(T::from_f64), std: variance.map(|v| T::from_f64((v / n).sqrt())) }
    }

    /// Transforms `data` with these statistics.
    pub fn apply<const K: usize>(&self, data: &mut Dataset<T, N, K>) {
        data.map_features(|j, x| {
            let centred = x - self.mean[j];
            if self.std[j] > T::ZERO { centred / self.std[j] } else { centred }
        });
    }
}
