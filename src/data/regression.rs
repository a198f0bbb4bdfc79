//! A regression data set: `N` features and `M` numeric targets per sample, read from CSV
//! files like a classification set, batched for a network's `train_step`, and evaluated by
//! mean squared error, mean absolute error and R².

use super::batch::{Epoch, LastBatch};
use super::csv::{CsvOptions, CsvReport, Outputs, Rows, number, read_rows};
use super::error::{DataError, DataErrorKind, Location, MEMORY, check_split_at, split_sizes};
use super::idx::number_text;
use super::normalise::{MinMax, Standardise};
use super::shuffle::permutation;
use super::{Column, LabelColumn};
use crate::{Element, Matrix, Network, Rng};
use std::io::{BufRead, BufReader};
use std::path::Path;

/// The samples a network is run on at a time by [`RegressionSet::evaluate`].
pub const REGRESSION_EVALUATION_BATCH: usize = 64;

/// Samples of `N` features, each with `M` numeric targets: what a network of `N` inputs
/// and `M` outputs trained on a loss such as `MeanSquaredError` learns to predict.
///
/// Like a [`Dataset`](super::Dataset) it is never empty and every value in it is finite;
/// the widths are const generics, checked when a file is loaded.
///
/// ```
/// use ferroflow::data::RegressionSet;
/// let data = RegressionSet::<f64, 2, 1>::new(vec![[0.0, 1.0], [2.0, 3.0]], vec![[1.5], [-2.0]])?;
/// assert_eq!(data.len(), 2);
/// assert_eq!(data.sample(1), (&[2.0, 3.0], &[-2.0]));
/// # Ok::<(), ferroflow::data::DataError>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct RegressionSet<T: Element, const N: usize, const M: usize> {
    features: Vec<[T; N]>,
    targets: Vec<[T; M]>,
}

/// `B` samples of a [`RegressionSet`]: their features and targets, one sample per row.
///
/// Rows from [`len`](RegressionBatch::len) on are padding (zeros): they appear only in the
/// last batch of [`LastBatch::Pad`].
///
/// Aligned to 64 bytes, as [`Batch`](super::Batch) is: the features start on a cache line.
#[derive(Clone, Debug, PartialEq)]
#[repr(C, align(64))]
pub struct RegressionBatch<T: Element, const B: usize, const N: usize, const M: usize> {
    /// The features, one sample per row.
    pub inputs: Matrix<T, B, N>,
    /// The targets, one sample per row: what a loss compares the output with.
    pub targets: Matrix<T, B, M>,
    /// How many rows are samples (the rest are zero padding).
    pub len: usize,
}

impl<T: Element, const B: usize, const N: usize, const M: usize> RegressionBatch<T, B, N, M> {
    /// A batch of zeros with no samples, to fill with [`RegressionSet::fill_batch`].
    pub fn zeros() -> Self {
        Self { inputs: crate::matrix::zeros(), targets: crate::matrix::zeros(), len: 0 }
    }
}

/// An iterator over the batches of one epoch of a [`RegressionSet`]: see
/// [`RegressionSet::batches`] and [`RegressionSet::shuffled_batches`].
#[derive(Clone, Debug)]
pub struct RegressionBatches<'a, T: Element, const B: usize, const N: usize, const M: usize> {
    data: &'a RegressionSet<T, N, M>,
    epoch: Epoch,
}

impl<T: Element, const B: usize, const N: usize, const M: usize> RegressionBatches<'_, T, B, N, M> {
    /// The order the samples are visited in this epoch.
    pub fn order(&self) -> &[usize] {
        self.epoch.order()
    }

    /// Fills `batch` with the next batch, as [`next`](Iterator::next) would return it;
    /// `false` at the end of the epoch.
    pub fn fill_next(&mut self, batch: &mut RegressionBatch<T, B, N, M>) -> bool {
        let data = self.data;
        self.epoch.advance::<B>(|indices| data.fill_batch(indices, batch))
    }
}

impl<T: Element, const B: usize, const N: usize, const M: usize> Iterator
    for RegressionBatches<'_, T, B, N, M>
{
    type Item = RegressionBatch<T, B, N, M>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut batch = RegressionBatch::zeros();
        self.fill_next(&mut batch).then_some(batch)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.epoch.batches_left::<B>();
        (n, Some(n))
    }
}

impl<T: Element, const B: usize, const N: usize, const M: usize> ExactSizeIterator
    for RegressionBatches<'_, T, B, N, M>
{
}

/// How well a network predicts a [`RegressionSet`]'s targets, over all its samples and
/// targets, computed in `f64`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RegressionEvaluation {
    /// The mean squared error: the mean over samples and targets of (output − target)².
    pub mse: f64,
    /// The mean absolute error: the mean over samples and targets of |output − target|.
    pub mae: f64,
    /// The coefficient of determination, 1 − (sum of squared errors) / (sum of squared
    /// deviations of the targets from their mean), the sums over samples and the ratio's
    /// parts over targets (each target about its own mean). 1 is a perfect fit, 0 is no
    /// better than predicting the mean, and it is negative for worse. When the targets do
    /// not vary at all, it is 1 for a perfect fit and −∞ otherwise (see
    /// [`RegressionSet::evaluate`]).
    pub r2: f64,
    /// The samples evaluated.
    pub samples: usize,
}

impl<T: Element, const N: usize, const M: usize> RegressionSet<T, N, M> {
    /// A data set from features and targets, which must be as many, at least one, and
    /// all finite.
    ///
    /// No samples is the error [`DataErrorKind::Empty`]; a count of targets other than the
    /// count of samples [`DataErrorKind::Shape`]; a NaN or infinite value
    /// [`DataErrorKind::NotANumber`] at its [`Location::Feature`] or [`Location::Target`].
    ///
    /// # Errors
    /// - [`DataErrorKind::Shape`] if `features` and `targets` differ in length.
    /// - [`DataErrorKind::Empty`] for no samples.
    /// - [`DataErrorKind::NotANumber`] at its [`Location::Feature`] or [`Location::Target`] for
    ///   a value that is NaN or infinite.
    pub fn new(features: Vec<[T; N]>, targets: Vec<[T; M]>) -> Result<Self, DataError> {
        if features.len() != targets.len() {
            let kind = DataErrorKind::Shape {
                what: "targets",
                expected: format!("{} (one row per sample)", features.len()),
                found: targets.len().to_string(),
            };
            return Err(DataError::new(MEMORY, Location::File, kind));
        }
        if targets.is_empty() {
            return Err(DataError::new(MEMORY, Location::File, DataErrorKind::Empty));
        }
        let not_finite = |v: &T| !v.to_f64().is_finite();
        for (sample, x) in features.iter().enumerate() {
            if let Some(feature) = x.iter().position(not_finite) {
                let kind = DataErrorKind::NotANumber { found: number_text(x[feature].to_f64()) };
                return Err(DataError::new(MEMORY, Location::Feature { sample, feature }, kind));
            }
        }
        for (sample, y) in targets.iter().enumerate() {
            if let Some(target) = y.iter().position(not_finite) {
                let kind = DataErrorKind::NotANumber { found: number_text(y[target].to_f64()) };
                return Err(DataError::new(MEMORY, Location::Target { sample, target }, kind));
            }
        }
        Ok(Self { features, targets })
    }

    /// Reads a CSV file laid out as for [`Dataset::from_csv`](super::Dataset::from_csv) (a
    /// header or not, quoted fields, columns to ignore, bounded lines, missing values),
    /// with `M` numeric target columns in place of the label: `N` = columns − `M` −
    /// ignored.
    ///
    /// **Targets.** With [`CsvOptions::targets`] empty (the default) the one target is the
    /// [`CsvOptions::label`] column (the last, unless it says otherwise), which needs
    /// `M = 1`; otherwise `targets` lists exactly `M` distinct columns, by index or name,
    /// in target order, and `label` is not read. Any other number of columns is
    /// [`DataErrorKind::TargetCount`]. [`CsvOptions::classes`] is not read: targets are
    /// numbers, and a target that is not a finite number of `T` is
    /// [`DataErrorKind::NotANumber`], naming the line, the column and the text found.
    ///
    /// **Missing targets are never filled**: [`Missing::Drop`](super::Missing::Drop) drops
    /// their lines, and both [`Missing::Reject`](super::Missing::Reject) and
    /// [`Missing::FillMean`](super::Missing::FillMean) refuse them
    /// ([`DataErrorKind::Missing`]), since a target made up from others would be trained on
    /// as if it had been measured. Missing features follow [`CsvOptions::missing`] as for a
    /// classification set.
    ///
    /// ```
    /// use ferroflow::data::{Column, CsvOptions, LabelColumn, RegressionSet};
    /// let text = "id,x,price\n7,1.5,10\n8,2.5,12.5\n";
    /// let options = CsvOptions {
    ///     label: LabelColumn::Name("price".into()),
    ///     ignore: vec![Column::Name("id".into())],
    ///     ..CsvOptions::default()
    /// };
    /// let data = RegressionSet::<f64, 1, 1>::from_csv_reader("prices.csv", text.as_bytes(), options)?;
    /// assert_eq!(data.sample(1), (&[2.5], &[12.5]));
    ///
    /// let text = "a,b,y1,y2\n1,2,3,4\n";
    /// let options = CsvOptions {
    ///     targets: vec![Column::Name("y2".into()), Column::Index(2)],
    ///     ..CsvOptions::default()
    /// };
    /// let data = RegressionSet::<f32, 2, 2>::from_csv_reader("two.csv", text.as_bytes(), options)?;
    /// assert_eq!(data.sample(0), (&[1.0, 2.0], &[4.0, 3.0]));
    /// # Ok::<(), ferroflow::data::DataError>(())
    /// ```
    ///
    /// # Errors
    /// A [`DataError`] naming the file and, where there is one, the line and the column at
    /// fault. Its [`kind`](DataError::kind):
    /// - [`DataErrorKind::Io`] if the file cannot be opened or read, or a field is not UTF-8.
    /// - [`DataErrorKind::Empty`] if the file holds no samples (or every line was dropped).
    /// - [`DataErrorKind::LineTooLong`] for a record longer than
    ///   [`CsvOptions::max_line_bytes`], [`DataErrorKind::TooManyFields`] for a field past
    ///   the last column, and [`DataErrorKind::FieldCount`] for a header or a line with another
    ///   number of columns than the `N` features, the `M` targets and the ignored columns.
    /// - [`DataErrorKind::TargetCount`] if [`CsvOptions::targets`] lists other than `M`
    ///   columns (or none, with `M` other than 1), [`DataErrorKind::DuplicateTarget`] if it
    ///   lists a column twice, [`DataErrorKind::UnknownColumn`] for a column named in `options`
    ///   that the header does not have (or with no header), [`DataErrorKind::TargetColumn`] and
    ///   [`DataErrorKind::IgnoredColumn`] for an index past the last column (a target's, or the
    ///   label's when it is the target), and [`DataErrorKind::TargetIgnored`] for a target
    ///   column among the ignored.
    /// - [`DataErrorKind::NotANumber`] for a feature or a target that is not a finite number of
    ///   `T`, [`DataErrorKind::Missing`] for a missing value that is neither dropped nor filled
    ///   (any with [`Missing::Reject`](super::Missing::Reject), a target with
    ///   [`Missing::FillMean`](super::Missing::FillMean)), and
    ///   [`DataErrorKind::NothingToAverage`] for a column to fill that holds no value.
    pub fn from_csv(path: impl AsRef<Path>, options: CsvOptions) -> Result<Self, DataError> {
        Self::from_csv_report(path, options).map(|(data, _)| data)
    }

    /// [`from_csv`](Self::from_csv), with what was done about missing values.
    ///
    /// # Errors
    /// As [`from_csv`](Self::from_csv).
    pub fn from_csv_report(
        path: impl AsRef<Path>,
        options: CsvOptions,
    ) -> Result<(Self, CsvReport), DataError> {
        let path = path.as_ref();
        let file = std::fs::File::open(path)
            .map_err(|e| DataError::new(path, Location::File, DataErrorKind::Io(e)))?;
        Self::from_csv_reader_report(path, BufReader::new(file), options)
    }

    /// [`from_csv`](Self::from_csv) from any reader; `name` names it in errors.
    ///
    /// # Errors
    /// As [`from_csv`](Self::from_csv); [`DataErrorKind::Io`] is then an error `reader`
    /// returns, or a field that is not UTF-8.
    pub fn from_csv_reader(
        name: impl AsRef<Path>,
        reader: impl BufRead,
        options: CsvOptions,
    ) -> Result<Self, DataError> {
        Self::from_csv_reader_report(name, reader, options).map(|(data, _)| data)
    }

    /// [`from_csv_reader`](Self::from_csv_reader), with what was done about missing
    /// values.
    ///
    /// # Errors
    /// As [`from_csv_reader`](Self::from_csv_reader).
    pub fn from_csv_reader_report(
        name: impl AsRef<Path>,
        reader: impl BufRead,
        options: CsvOptions,
    ) -> Result<(Self, CsvReport), DataError> {
        let name = name.as_ref();
        let columns: Vec<LabelColumn> = match options.targets.len() {
            0 if M == 1 => vec![options.label.clone()],
            found if found != M => {
                let kind = DataErrorKind::TargetCount { expected: M, found };
                return Err(DataError::new(name, Location::File, kind));
            }
            _ => options
                .targets
                .iter()
                .map(|column| match column {
                    Column::Index(i) => LabelColumn::Index(*i),
                    Column::Name(name) => LabelColumn::Name(name.clone()),
                })
                .collect(),
        };
        let rows = read_rows(name, reader, &options, &columns, Outputs::Targets, |texts| {
            let mut target = [T::ZERO; M];
            for (k, text) in texts.iter().enumerate() {
                target[k] = number(text).map_err(|kind| (k, kind))?;
            }
            Ok(target)
        })?;
        let Rows { features, outputs: targets, report } = rows;
        Ok((Self { features, targets }, report))
    }

    /// The number of samples (never 0).
    pub fn len(&self) -> usize {
        self.targets.len()
    }

    /// Whether there are no samples: never, as for a [`Dataset`](super::Dataset); here
    /// for the convention that goes with [`len`](Self::len).
    pub fn is_empty(&self) -> bool {
        self.targets.is_empty()
    }

    /// The features of every sample, in order.
    pub fn features(&self) -> &[[T; N]] {
        &self.features
    }

    /// The targets of every sample, in order.
    pub fn targets(&self) -> &[[T; M]] {
        &self.targets
    }

    /// Sample `i`: its features and its targets.
    ///
    /// # Panics
    ///
    /// If `i` is `len()` or more.
    pub fn sample(&self, i: usize) -> (&[T; N], &[T; M]) {
        (&self.features[i], &self.targets[i])
    }

    /// The standardisation of the features fitted on this set (see
    /// [`Standardise::fit_features`]); its [`scaling`](Standardise::scaling) goes inside
    /// a model with [`Preprocessed`](crate::Preprocessed). Fit it on the training set.
    pub fn standardise(&self) -> Standardise<T, N> {
        Standardise::fit_features(&self.features)
    }

    /// The minimum and maximum of each feature in this set (see
    /// [`MinMax::fit_features`]).
    pub fn min_max(&self) -> MinMax<T, N> {
        MinMax::fit_features(&self.features)
    }

    /// The samples at `indices`, in that order (an index may repeat).
    ///
    /// No indices is the error [`DataErrorKind::Empty`]: a data set is never empty.
    ///
    /// # Errors
    ///
    /// [`DataErrorKind::Empty`] for no indices.
    ///
    /// # Panics
    ///
    /// If an index is `len()` or more.
    pub fn subset(&self, indices: &[usize]) -> Result<Self, DataError> {
        if indices.is_empty() {
            return Err(DataError::new(MEMORY, Location::File, DataErrorKind::Empty));
        }
        Ok(self.subset_unchecked(indices))
    }

    fn subset_unchecked(&self, indices: &[usize]) -> Self {
        Self {
            features: indices.iter().map(|&i| self.features[i]).collect(),
            targets: indices.iter().map(|&i| self.targets[i]).collect(),
        }
    }

    /// Reorders the samples by a permutation drawn from `rng` (see [`permutation`]).
    pub fn shuffle<R: Rng + ?Sized>(&mut self, rng: &mut R) {
        *self = self.subset_unchecked(&permutation(self.len(), rng));
    }

    /// The first `n` samples and the rest; `n` must run from 1 to `len() − 1`, else the
    /// error [`DataErrorKind::EmptySplit`].
    ///
    /// # Errors
    /// [`DataErrorKind::EmptySplit`] for `n` of 0, or of `len()` or more.
    pub fn split_at(mut self, n: usize) -> Result<(Self, Self), DataError> {
        check_split_at(self.len(), n)?;
        let rest =
            Self { features: self.features.split_off(n), targets: self.targets.split_off(n) };
        Ok((self, rest))
    }

    /// A seeded train/test split, by the rules of
    /// [`Dataset::split`](super::Dataset::split): shuffles with `rng`, then keeps
    /// `test_fraction` of the samples (rounded) as the test set. A fraction not strictly
    /// between 0 and 1 is [`DataErrorKind::Fraction`]; one that leaves either side empty
    /// [`DataErrorKind::EmptySplit`]; nothing is drawn from `rng` when the split is
    /// refused.
    ///
    /// ```
    /// use ferroflow::data::RegressionSet;
    /// use ferroflow::{SeedableRng, SeededRng};
    /// let data = RegressionSet::<f32, 1, 1>::new((0..10).map(|i| [i as f32]).collect(), vec![[0.0]; 10])?;
    /// let (train, test) = data.split(0.3, &mut SeededRng::seed_from_u64(7))?;
    /// assert_eq!((train.len(), test.len()), (7, 3));
    /// # Ok::<(), ferroflow::data::DataError>(())
    /// ```
    ///
    /// # Errors
    /// [`DataErrorKind::Fraction`] for a `test_fraction` not strictly between 0 and 1, and
    /// [`DataErrorKind::EmptySplit`] for one that leaves either set without samples. The data
    /// set is dropped with the error.
    pub fn split<R: Rng + ?Sized>(
        mut self,
        test_fraction: f64,
        rng: &mut R,
    ) -> Result<(Self, Self), DataError> {
        let (train, _) = split_sizes(self.len(), test_fraction)?;
        self.shuffle(rng);
        self.split_at(train)
    }

    /// Copies the samples at `indices` into `batch`, one per row, padding the rows after
    /// them with zeros; sets `batch.len` to the number of samples copied.
    ///
    /// # Panics
    ///
    /// If an index is `len()` or more.
    pub fn fill_batch<const B: usize>(
        &self,
        indices: &[usize],
        batch: &mut RegressionBatch<T, B, N, M>,
    ) {
        batch.len = indices.len().min(B);
        for r in 0..B {
            let sample = indices.get(r).map(|&i| (&self.features[i], &self.targets[i]));
            for c in 0..N {
                batch.inputs[(r, c)] = sample.map_or(T::ZERO, |(x, _)| x[c]);
            }
            for k in 0..M {
                batch.targets[(r, k)] = sample.map_or(T::ZERO, |(_, y)| y[k]);
            }
        }
    }

    /// The samples in order, `B` at a time; `last` says what happens to the last, shorter
    /// batch.
    pub fn batches<const B: usize>(&self, last: LastBatch) -> RegressionBatches<'_, T, B, N, M> {
        RegressionBatches { data: self, epoch: Epoch::new((0..self.len()).collect(), last) }
    }

    /// The samples in an order drawn from `rng` (a new one each call: call it once per
    /// epoch), `B` at a time; `last` says what happens to the last, shorter batch (train
    /// with [`LastBatch::Wrap`] or [`LastBatch::Drop`]: padding rows would count in the
    /// loss).
    pub fn shuffled_batches<const B: usize, R: Rng + ?Sized>(
        &self,
        rng: &mut R,
        last: LastBatch,
    ) -> RegressionBatches<'_, T, B, N, M> {
        RegressionBatches { data: self, epoch: Epoch::new(permutation(self.len(), rng), last) }
    }

    /// How well `net` predicts the targets: MSE, MAE and R² over every sample and target,
    /// in `f64`, the network run [`REGRESSION_EVALUATION_BATCH`] samples at a time (the
    /// padding of the last batch is not counted).
    ///
    /// R² is 1 − SSE / SST, SSE the squared errors summed over samples and targets and SST
    /// the squared deviations of each target from its own mean, summed the same way. If the
    /// targets do not vary at all (SST = 0), R² is 1 when every prediction is exact and
    /// −∞ otherwise.
    ///
    /// ```
    /// use ferroflow::data::RegressionSet;
    /// use ferroflow::prelude::*;
    /// network! {
    ///     struct Line<f64> { input: 1, output: Perceptron<1, Identity> }
    /// }
    /// let mut net = Line::random(&mut SeededRng::seed_from_u64(1));
    /// net.for_each_param_mut(&mut |_, values| values.fill(1.0)); // y = x + 1
    /// let data = RegressionSet::<f64, 1, 1>::new(vec![[0.0], [1.0], [2.0]], vec![[1.0], [2.0], [4.0]])?;
    /// let e = data.evaluate(&net);
    /// assert_eq!((e.mse, e.mae, e.samples), (1.0 / 3.0, 1.0 / 3.0, 3));
    /// # Ok::<(), ferroflow::data::DataError>(())
    /// ```
    pub fn evaluate(&self, net: &impl Network<T, N, M>) -> RegressionEvaluation {
        const B: usize = REGRESSION_EVALUATION_BATCH;
        let n = self.len() as f64;
        let mut mean = [0.0f64; M];
        for y in &self.targets {
            for k in 0..M {
                mean[k] += y[k].to_f64() / n;
            }
        }
        let (mut squared, mut absolute, mut total) = (0.0f64, 0.0f64, 0.0f64);
        let mut batches = self.batches::<B>(LastBatch::Pad);
        let mut batch = Box::new(RegressionBatch::<T, B, N, M>::zeros());
        while batches.fill_next(&mut batch) {
            let out = net.forward(&batch.inputs);
            for r in 0..batch.len {
                for k in 0..M {
                    let target = batch.targets[(r, k)].to_f64();
                    let error = out[(r, k)].to_f64() - target;
                    squared += error * error;
                    absolute += error.abs();
                    total += (target - mean[k]) * (target - mean[k]);
                }
            }
        }
        let values = n * M as f64;
        let r2 = if total > 0.0 {
            1.0 - squared / total
        } else if squared == 0.0 {
            1.0
        } else {
            f64::NEG_INFINITY
        };
        RegressionEvaluation {
            mse: squared / values,
            mae: absolute / values,
            r2,
            samples: self.len(),
        }
    }
}
