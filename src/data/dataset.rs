//! A labelled data set: `N` features and one of `K` classes per sample.

use super::batch::{Batch, Batches, LastBatch};
use super::error::{DataError, DataErrorKind, Location};
use super::idx::Idx;
use super::shuffle::permutation;
use crate::{Element, Rng};
use std::path::Path;

/// Samples of `N` features, each labelled with one of `K` classes.
///
/// The widths are const generics, checked when the data is loaded: a file with 784
/// features per sample does not load into a `Dataset<f32, 64, 10>`, it reports the shape
/// it has. Samples are held in a `Vec`, in the order given.
///
/// ```
/// use ferroflow::data::Dataset;
/// let data = Dataset::<f32, 2, 3>::new(vec![[0.0, 1.0], [2.0, 3.0]], vec![2, 0])?;
/// assert_eq!(data.len(), 2);
/// assert_eq!(data.sample(0), (&[0.0, 1.0], 2));
/// assert_eq!(data.one_hot(0), [0.0, 0.0, 1.0]);
/// # Ok::<(), ferroflow::data::DataError>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset<T: Element, const N: usize, const K: usize> {
    features: Vec<[T; N]>,
    labels: Vec<usize>,
}

/// The class `class` as a one-hot row: 1 at index `class`, 0 elsewhere.
///
/// ```
/// assert_eq!(ferroflow::data::one_hot::<f32, 4>(1), [0.0, 1.0, 0.0, 0.0]);
/// ```
pub fn one_hot<T: Element, const K: usize>(class: usize) -> [T; K] {
    core::array::from_fn(|k| if k == class { T::ONE } else { T::ZERO })
}

impl<T: Element, const N: usize, const K: usize> Dataset<T, N, K> {
    /// A data set from features and labels, which must be as many and each below `K`.
    pub fn new(features: Vec<[T; N]>, labels: Vec<usize>) -> Result<Self, DataError> {
        const MEMORY: &str = "<memory>";
        if features.len() != labels.len() {
            let kind = DataErrorKind::Shape {
                what: "labels",
                expected: format!("{} (one per sample)", features.len()),
                found: labels.len().to_string(),
            };
            return Err(DataError::new(MEMORY, Location::File, kind));
        }
        if let Some(i) = labels.iter().position(|&label| label >= K) {
            let kind = DataErrorKind::LabelOutOfRange { found: labels[i].to_string(), classes: K };
            return Err(DataError::new(MEMORY, Location::Sample(i), kind));
        }
        Ok(Self { features, labels })
    }

    /// A data set whose labels the caller has checked.
    pub(super) fn from_checked(features: Vec<[T; N]>, labels: Vec<usize>) -> Self {
        debug_assert!(features.len() == labels.len() && labels.iter().all(|&l| l < K));
        Self { features, labels }
    }

    /// Reads images and labels from a pair of IDX files (gzip or not), as MNIST ships them:
    /// `n × d₁ × d₂ …` values with `d₁ d₂ … = N` features per sample, and `n` labels.
    /// Values are converted as they are (MNIST's pixels stay 0–255); scale them after.
    pub fn from_idx(images: impl AsRef<Path>, labels: impl AsRef<Path>) -> Result<Self, DataError> {
        let (images, labels) = (images.as_ref(), labels.as_ref());
        Self::from_parsed_idx(images, Idx::read(images)?, labels, Idx::read(labels)?)
    }

    /// [`from_idx`](Self::from_idx) for files held in memory; the names appear in errors.
    pub fn from_idx_bytes(
        (images_name, images): (&str, &[u8]),
        (labels_name, labels): (&str, &[u8]),
    ) -> Result<Self, DataError> {
        let (image_idx, label_idx) =
            (Idx::from_bytes(images_name, images)?, Idx::from_bytes(labels_name, labels)?);
        Self::from_parsed_idx(images_name.as_ref(), image_idx, labels_name.as_ref(), label_idx)
    }

    fn from_parsed_idx(
        images_path: &Path,
        images: Idx,
        labels_path: &Path,
        labels: Idx,
    ) -> Result<Self, DataError> {
        let shape =
            |dims: &[usize]| dims.iter().map(usize::to_string).collect::<Vec<_>>().join(" × ");
        let n = images.dims[0];
        // A hostile header can claim 0 images of 2³² × 2³² × 2³² pixels: a product that
        // overflows is a wrong shape, not a panic.
        let width = images.dims[1..].iter().try_fold(1usize, |w, &d| w.checked_mul(d));
        if width != Some(N) {
            let width = width.map_or_else(|| "more than usize::MAX".to_owned(), |w| w.to_string());
            let kind = DataErrorKind::Shape {
                what: "images",
                expected: format!("n × {N} ({N} features per sample)"),
                found: format!("{} ({width} features per sample)", shape(&images.dims)),
            };
            return Err(DataError::new(images_path, Location::Byte(4), kind));
        }
        if labels.dims != [n] {
            let kind = DataErrorKind::Shape {
                what: "labels",
                expected: format!("{n} (one per image in {})", images_path.display()),
                found: shape(&labels.dims),
            };
            return Err(DataError::new(labels_path, Location::Byte(4), kind));
        }
        if n == 0 {
            return Err(DataError::new(images_path, Location::File, DataErrorKind::Empty));
        }
        let mut classes = Vec::with_capacity(n);
        for i in 0..n {
            let label = labels.data.get(i);
            if !(label >= 0.0 && label < K as f64 && label.fract() == 0.0) {
                let kind = DataErrorKind::LabelOutOfRange { found: label.to_string(), classes: K };
                return Err(DataError::new(labels_path, labels.location_of(i), kind));
            }
            classes.push(label as usize);
        }
        let features = (0..n)
            .map(|i| core::array::from_fn(|j| T::from_f64(images.data.get(i * N + j))))
            .collect();
        Ok(Self { features, labels: classes })
    }

    /// The number of samples.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether there are no samples.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// The features of every sample, in order.
    pub fn features(&self) -> &[[T; N]] {
        &self.features
    }

    /// The class of every sample, in order.
    pub fn labels(&self) -> &[usize] {
        &self.labels
    }

    /// Sample `i`: its features and its class.
    pub fn sample(&self, i: usize) -> (&[T; N], usize) {
        (&self.features[i], self.labels[i])
    }

    /// The label of sample `i` as a one-hot row.
    pub fn one_hot(&self, i: usize) -> [T; K] {
        one_hot(self.labels[i])
    }

    /// How many samples each class has.
    pub fn class_counts(&self) -> [usize; K] {
        let mut counts = [0; K];
        for &label in &self.labels {
            counts[label] += 1;
        }
        counts
    }

    /// Applies `f(feature index, value)` to every feature of every sample.
    pub fn map_features(&mut self, mut f: impl FnMut(usize, T) -> T) {
        for sample in &mut self.features {
            for (j, value) in sample.iter_mut().enumerate() {
                *value = f(j, *value);
            }
        }
    }

    /// Multiplies every feature by `factor` (`1.0 / 255.0` turns pixels into `[0, 1]`).
    pub fn scale(&mut self, factor: T) {
        self.map_features(|_, v| v * factor);
    }

    /// The samples at `indices`, in that order.
    pub fn subset(&self, indices: &[usize]) -> Self {
        Self {
            features: indices.iter().map(|&i| self.features[i]).collect(),
            labels: indices.iter().map(|&i| self.labels[i]).collect(),
        }
    }

    /// Reorders the samples by a permutation drawn from `rng` (see [`permutation`]).
    pub fn shuffle<R: Rng + ?Sized>(&mut self, rng: &mut R) {
        *self = self.subset(&permutation(self.len(), rng));
    }

    /// The first `n` samples and the rest (all of them and none if `n ≥ len`).
    pub fn split_at(mut self, n: usize) -> (Self, Self) {
        let n = n.min(self.len());
        let rest = Self { features: self.features.split_off(n), labels: self.labels.split_off(n) };
        (self, rest)
    }

    /// A seeded train/test split: shuffles with `rng`, then keeps `test_fraction` of the
    /// samples (rounded to the nearest whole sample) as the test set, the rest for training.
    /// The same seed gives the same split on every machine.
    ///
    /// ```
    /// use ferroflow::data::Dataset;
    /// use ferroflow::{SeedableRng, SeededRng};
    /// let data = Dataset::<f32, 1, 2>::new((0..10).map(|i| [i as f32]).collect(), vec![0; 10])?;
    /// let (train, test) = data.split(0.2, &mut SeededRng::seed_from_u64(7));
    /// assert_eq!((train.len(), test.len()), (8, 2));
    /// # Ok::<(), ferroflow::data::DataError>(())
    /// ```
    pub fn split<R: Rng + ?Sized>(mut self, test_fraction: f64, rng: &mut R) -> (Self, Self) {
        self.shuffle(rng);
        let test = (self.len() as f64 * test_fraction.clamp(0.0, 1.0)).round() as usize;
        let train = self.len() - test;
        self.split_at(train)
    }

    /// Copies the samples at `indices` into `batch`, one per row, padding the rows after
    /// them with zeros; sets `batch.len` to the number of samples copied.
    ///
    /// This is what [`batches`](Self::batches) does for each batch: call it yourself to
    /// reuse one batch value (for example a boxed one, when `B × N` is large).
    pub fn fill_batch<const B: usize>(&self, indices: &[usize], batch: &mut Batch<T, B, N, K>) {
        batch.len = indices.len().min(B);
        for r in 0..B {
            let sample = indices.get(r).map(|&i| (&self.features[i], self.labels[i]));
            for c in 0..N {
                batch.inputs[(r, c)] = sample.map_or(T::ZERO, |(x, _)| x[c]);
            }
            for k in 0..K {
                let hot = sample.is_some_and(|(_, label)| label == k);
                batch.labels[(r, k)] = if hot { T::ONE } else { T::ZERO };
            }
            batch.classes[r] = sample.map_or(0, |(_, label)| label);
        }
    }

    /// The samples in order, `B` at a time; `last` says what happens to the last, shorter
    /// batch when `B` does not divide the number of samples.
    pub fn batches<const B: usize>(&self, last: LastBatch) -> Batches<'_, T, B, N, K> {
        Batches::new(self, (0..self.len()).collect(), last)
    }

    /// The samples in an order drawn from `rng` (a new one each call: call it once per
    /// epoch), `B` at a time; `last` says what happens to the last, shorter batch.
    pub fn shuffled_batches<const B: usize, R: Rng + ?Sized>(
        &self,
        rng: &mut R,
        last: LastBatch,
    ) -> Batches<'_, T, B, N, K> {
        Batches::new(self, permutation(self.len(), rng), last)
    }
}
