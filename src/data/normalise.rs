//! Normalisation: statistics fitted on the training set, applied to every set.
//!
//! Fitting on the training set alone keeps the test set unseen: its samples are
//! transformed with the training set's numbers, as they would be in use.

use super::dataset::Dataset;
use crate::{Element, InputScaling};

/// How many units of `T`'s precision a feature's spread must exceed, relative to its
/// magnitude, not to be treated as constant: a spread of a few ulps is the rounding of
/// the values themselves (or of the statistics), and dividing by it would blow round-off
/// up into values of any size.
const ROUND_OFF_ULPS: f64 = 4.0;

/// The machine epsilon of `T` (2⁻²³ for `f32`, 2⁻⁵² for `f64`), found through `from_f64`.
fn epsilon<T: Element>() -> f64 {
    let mut epsilon = 1.0f64;
    while epsilon > f64::EPSILON && T::from_f64(1.0 + epsilon / 2.0).to_f64() != 1.0 {
        epsilon /= 2.0;
    }
    epsilon
}

/// Whether a spread (a standard deviation or a range) of values of magnitude about
/// `magnitude` is only round-off in `T`: at most [`ROUND_OFF_ULPS`] × ε × `magnitude`
/// (0 always is).
fn is_round_off<T: Element>(spread: f64, magnitude: f64) -> bool {
    spread.is_nan() || spread <= ROUND_OFF_ULPS * epsilon::<T>() * magnitude.abs()
}

/// Scales each feature to `[0, 1]` by the training set's minimum and maximum of it:
/// `x ↦ (x − min) / (max − min)`, computed in `f64`. A feature that is constant in the
/// training set, or whose range is only round-off of its magnitude (a few units of `T`'s
/// precision: all values 1e8 give or take an ulp), maps to 0.
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
    /// The minimum and maximum of every feature of `train` (zeros for an empty set, which
    /// a [`Dataset`] never is).
    pub fn fit<const K: usize>(train: &Dataset<T, N, K>) -> Self {
        Self::fit_features(train.features())
    }

    /// The minimum and maximum of every feature over `rows` (zeros for no rows): what
    /// [`fit`](Self::fit) computes for a data set's features, for rows of any kind of
    /// data set (a [`RegressionSet`](super::RegressionSet)'s, say).
    pub fn fit_features(rows: &[[T; N]]) -> Self {
        let mut samples = rows.iter();
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

    /// The same scaling as an [`InputScaling`] (`offset` the minimum, `scale` one over the
    /// range, 0 for a constant feature), to put inside a model with
    /// [`Preprocessed`](crate::Preprocessed), which then takes raw inputs.
    pub fn scaling(&self) -> InputScaling<T, N> {
        let scale = core::array::from_fn(|j| {
            let (min, max) = (self.min[j].to_f64(), self.max[j].to_f64());
            let range = max - min;
            let constant = is_round_off::<T>(range, min.abs().max(max.abs()));
            T::from_f64(if constant { 0.0 } else { 1.0 / range })
        });
        InputScaling::new(self.min, scale)
    }

    /// Transforms `data` with these statistics. The range is taken in `f64`, where
    /// `max − min` cannot overflow (as it can in `f32` for −3e38 and 3e38).
    pub fn apply<const K: usize>(&self, data: &mut Dataset<T, N, K>) {
        let (min, max) = (self.min.map(T::to_f64), self.max.map(T::to_f64));
        data.map_features(|j, x| {
            let range = max[j] - min[j];
            let magnitude = min[j].abs().max(max[j].abs());
            if is_round_off::<T>(range, magnitude) {
                T::ZERO
            } else {
                T::from_f64((x.to_f64() - min[j]) / range)
            }
        });
    }
}

/// Standardises each feature by the training set's mean and standard deviation of it:
/// `x ↦ (x − mean) / std`, computed in `f64`. A feature that is constant in the training
/// set, or whose deviation is only round-off of its mean (at most a few units of `T`'s
/// precision times the mean's magnitude: all values 0.1, or 1e8 give or take an ulp), gets
/// `std` 0 and is only centred, never divided by a deviation made of rounding.
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
    /// The standard deviation of each feature in the training set (population, `1/n`);
    /// 0 for a feature treated as constant, which is only centred.
    pub std: [T; N],
}

impl<T: Element, const N: usize> Standardise<T, N> {
    /// The mean and standard deviation of every feature of `train`, in `f64` and in two
    /// passes (mean 0 and deviation 1 for an empty set, which a [`Dataset`] never is).
    ///
    /// The second pass sums the deviations from the first pass's mean as well as their
    /// squares, and corrects both by their sum (the corrected two-pass algorithm): a
    /// constant feature then has a deviation of 0 or round-off, not the error of its mean.
    /// A deviation that is round-off (see [`Standardise`]) is stored as 0.
    pub fn fit<const K: usize>(train: &Dataset<T, N, K>) -> Self {
        Self::fit_features(train.features())
    }

    /// The mean and standard deviation of every feature over `rows`, as [`fit`](Self::fit)
    /// computes them for a data set's features, for rows of any kind of data set (a
    /// [`RegressionSet`](super::RegressionSet)'s, say); mean 0 and deviation 1 for no rows.
    ///
    /// ```
    /// use ferroflow::data::Standardise;
    /// let standardise = Standardise::<f64, 1>::fit_features(&[[1.0], [3.0]]);
    /// assert_eq!((standardise.mean, standardise.std), ([2.0], [1.0]));
    /// ```
    pub fn fit_features(rows: &[[T; N]]) -> Self {
        let n = rows.len() as f64;
        if rows.is_empty() {
            return Self { mean: [T::ZERO; N], std: [T::ONE; N] };
        }
        let mut mean = [0.0f64; N];
        for sample in rows {
            for j in 0..N {
                mean[j] += sample[j].to_f64();
            }
        }
        mean.iter_mut().for_each(|m| *m /= n);
        // Summing squared deviations avoids the cancellation of E[x²] − E[x]²; the sum of
        // the deviations corrects for the error of the first mean.
        let (mut sum, mut squares) = ([0.0f64; N], [0.0f64; N]);
        for sample in rows {
            for j in 0..N {
                let d = sample[j].to_f64() - mean[j];
                sum[j] += d;
                squares[j] += d * d;
            }
        }
        let mut std = [T::ZERO; N];
        for j in 0..N {
            let variance = ((squares[j] - sum[j] * sum[j] / n) / n).max(0.0);
            mean[j] += sum[j] / n;
            let deviation = variance.sqrt();
            if !is_round_off::<T>(deviation, mean[j]) {
                std[j] = T::from_f64(deviation);
            }
        }
        Self { mean: mean.map(T::from_f64), std }
    }

    /// Transforms `data` with these statistics.
    pub fn apply<const K: usize>(&self, data: &mut Dataset<T, N, K>) {
        let (mean, std) = (self.mean.map(T::to_f64), self.std.map(T::to_f64));
        data.map_features(|j, x| {
            let centred = x.to_f64() - mean[j];
            T::from_f64(if std[j] > 0.0 { centred / std[j] } else { centred })
        });
    }

    /// The same standardisation as an [`InputScaling`] (`offset` the mean, `scale` one over
    /// the deviation, 1 for a constant feature), to put inside a model with
    /// [`Preprocessed`](crate::Preprocessed): the model then takes raw inputs, in training,
    /// in use, and once saved and loaded again.
    ///
    /// ```
    /// use ferroflow::data::{Dataset, Standardise};
    /// let train = Dataset::<f64, 2, 2>::new(vec![[1.0, 5.0], [3.0, 5.0]], vec![0, 1])?;
    /// let scaling = Standardise::fit(&train).scaling();
    /// assert_eq!((scaling.offset, scaling.scale), ([2.0, 5.0], [1.0, 1.0]));
    /// assert_eq!(scaling.apply(&[3.0, 7.0]), [1.0, 2.0]);
    /// # Ok::<(), ferroflow::data::DataError>(())
    /// ```
    pub fn scaling(&self) -> InputScaling<T, N> {
        let scale = self.std.map(|std| {
            let std = std.to_f64();
            T::from_f64(if std > 0.0 { 1.0 / std } else { 1.0 })
        });
        InputScaling::new(self.mean, scale)
    }
}
