//! A labelled data set: `N` features and one of `K` classes per sample.

use super::error::{DataError, DataErrorKind, Location, MEMORY, check_split_at, split_sizes};
use super::grow::Blocks;
use super::idx::{IdxOptions, Stream, number_text};
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
    /// The name of each class, when the labels were names (see
    /// [`class_names`](Self::class_names)).
    class_names: Option<Vec<String>>,
}

/// The tutorial's toy clusters as a data set, so that [`Dataset::evaluate`], the `Trainer`
/// and the metrics work on them as on loaded data.
///
/// ```
/// use ferroflow::data::Dataset;
/// use ferroflow::prelude::*;
/// let clusters = ferroflow::clusters::xor::<f32, _>(&mut SeededRng::seed_from_u64(2));
/// let data = Dataset::try_from(&clusters)?;
/// assert_eq!(data.len(), 100);
/// assert_eq!(data.sample(0).1, clusters.class(0));
/// # Ok::<(), ferroflow::data::DataError>(())
/// ```
impl<T: Element, const N: usize> TryFrom<&crate::clusters::Clusters<T, N>> for Dataset<T, 2, 2> {
    type Error = DataError;

    /// # Errors
    /// As [`Dataset::new`]: no samples (`N` is 0), or a coordinate that is not finite.
    fn try_from(clusters: &crate::clusters::Clusters<T, N>) -> Result<Self, DataError> {
        let points = clusters.points.row_iter().map(|row| [row[0], row[1]]).collect();
        let labels = (0..N).map(|i| clusters.class(i)).collect();
        Self::new(points, labels)
    }
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
    /// A data set from features and labels, which must be as many, at least one, each
    /// label below `K` and every feature finite.
    ///
    /// A data set is never empty (an empty one would train to a loss of 0 and say
    /// nothing): no samples is the error [`DataErrorKind::Empty`]. A NaN or infinite feature
    /// is [`DataErrorKind::NotANumber`] at its [`Location::Feature`].
    ///
    /// # Errors
    /// - [`DataErrorKind::Shape`] if `features` and `labels` differ in length.
    /// - [`DataErrorKind::Empty`] for no samples.
    /// - [`DataErrorKind::LabelOutOfRange`] at its [`Location::Sample`] for a label of `K` or
    ///   more.
    /// - [`DataErrorKind::NotANumber`] at its [`Location::Feature`] for a feature that is NaN or
    ///   infinite.
    pub fn new(features: Vec<[T; N]>, labels: Vec<usize>) -> Result<Self, DataError> {
        if features.len() != labels.len() {
            let kind = DataErrorKind::Shape {
                what: "labels",
                expected: format!("{} (one per sample)", features.len()),
                found: labels.len().to_string(),
            };
            return Err(DataError::new(MEMORY, Location::File, kind));
        }
        if labels.is_empty() {
            return Err(DataError::new(MEMORY, Location::File, DataErrorKind::Empty));
        }
        if let Some(i) = labels.iter().position(|&label| label >= K) {
            let kind = DataErrorKind::LabelOutOfRange { found: labels[i].to_string(), classes: K };
            return Err(DataError::new(MEMORY, Location::Sample(i), kind));
        }
        for (sample, x) in features.iter().enumerate() {
            if let Some(feature) = x.iter().position(|v| !v.to_f64().is_finite()) {
                let kind = DataErrorKind::NotANumber { found: number_text(x[feature].to_f64()) };
                return Err(DataError::new(MEMORY, Location::Feature { sample, feature }, kind));
            }
        }
        Ok(Self { features, labels, class_names: None })
    }

    /// A data set whose labels (and class names, at most `K`, each label below their
    /// number) the caller has checked.
    pub(super) fn from_checked(
        features: Vec<[T; N]>,
        labels: Vec<usize>,
        class_names: Option<Vec<String>>,
    ) -> Self {
        debug_assert!(features.len() == labels.len() && labels.iter().all(|&l| l < K));
        debug_assert!(
            class_names.as_ref().is_none_or(|names| {
                names.len() <= K && labels.iter().all(|&l| l < names.len())
            })
        );
        Self { features, labels, class_names }
    }

    /// The data set with a name for each class: class `k` is `names[k]`.
    ///
    /// There may be fewer names than `K` (a class list of 3 names in a data set of 4
    /// classes), but every label must have one, and no name may repeat: more names than
    /// `K` is [`DataErrorKind::TooManyClasses`], a label without a name
    /// [`DataErrorKind::LabelOutOfRange`] at its [`Location::Sample`], and a name given
    /// twice [`DataErrorKind::DuplicateClass`].
    ///
    /// ```
    /// use ferroflow::data::Dataset;
    /// let data = Dataset::<f32, 1, 2>::new(vec![[0.5], [1.5]], vec![1, 0])?
    ///     .with_class_names(vec!["cat".into(), "dog".into()])?;
    /// assert_eq!(data.class_names(), Some(&["cat".to_owned(), "dog".to_owned()][..]));
    /// assert_eq!(data.class_name(0), Some("dog"));
    /// # Ok::<(), ferroflow::data::DataError>(())
    /// ```
    ///
    /// # Errors
    /// [`DataErrorKind::TooManyClasses`] for more than `K` names,
    /// [`DataErrorKind::DuplicateClass`] for a name given twice, and
    /// [`DataErrorKind::LabelOutOfRange`] at its [`Location::Sample`] for the first label with no
    /// name (a label of `names.len()` or more). The data set is dropped with the error.
    pub fn with_class_names(mut self, names: Vec<String>) -> Result<Self, DataError> {
        if names.len() > K {
            let kind = DataErrorKind::TooManyClasses { classes: K, found: names };
            return Err(DataError::new(MEMORY, Location::File, kind));
        }
        for (i, name) in names.iter().enumerate() {
            if names[..i].contains(name) {
                let kind = DataErrorKind::DuplicateClass { name: name.clone() };
                return Err(DataError::new(MEMORY, Location::File, kind));
            }
        }
        if let Some(i) = self.labels.iter().position(|&label| label >= names.len()) {
            let kind = DataErrorKind::LabelOutOfRange {
                found: self.labels[i].to_string(),
                classes: names.len(),
            };
            return Err(DataError::new(MEMORY, Location::Sample(i), kind));
        }
        self.class_names = Some(names);
        Ok(self)
    }

    /// The name of each class, in class order, when the data set has them: a CSV file
    /// whose labels are names (or numbers that are not the classes `0..K`), or
    /// [`with_class_names`](Self::with_class_names). `None` for IDX files, numeric labels
    /// `0..K` and [`new`](Self::new). Kept by [`subset`](Self::subset),
    /// [`split`](Self::split), [`split_at`](Self::split_at) and [`shuffle`](Self::shuffle).
    pub fn class_names(&self) -> Option<&[String]> {
        self.class_names.as_deref()
    }

    /// The name of the class of sample `i`, when the data set has class names.
    ///
    /// # Panics
    ///
    /// If `i` is `len()` or more.
    pub fn class_name(&self, i: usize) -> Option<&str> {
        let names = self.class_names.as_ref()?;
        names.get(self.labels[i]).map(String::as_str)
    }

    /// Reads images and labels from a pair of IDX files (gzip or not), as MNIST ships them:
    /// `n × d₁ × d₂ …` values with `d₁ d₂ … = N` features per sample, and `n` labels.
    /// Values are converted as they are (MNIST's pixels stay 0–255); scale them after.
    ///
    /// The values are converted into the data set's rows as they are read, in one pass:
    /// the peak memory is at most twice the data set's, plus a constant. A float value
    /// that is NaN, infinite, or beyond the range of `T` (1e39 for `f32`) is an error at
    /// its byte. Gzip files are read with the default [`IdxOptions`]; see
    /// [`from_idx_with`](Self::from_idx_with).
    ///
    /// # Errors
    /// A [`DataError`] naming the file at fault and, where it can, the byte:
    /// - any error of [`Idx::read`](crate::data::Idx::read), for either file: one that cannot
    ///   be read, a header that is not IDX, data shorter or longer than the header says, a
    ///   float value that is NaN or infinite;
    /// - [`DataErrorKind::Shape`] if the images do not hold `N` values each, or the labels are
    ///   not one number per image;
    /// - [`DataErrorKind::Empty`] if there are no images;
    /// - [`DataErrorKind::LabelOutOfRange`] for a label that is not a whole number from 0 to
    ///   `K − 1`;
    /// - [`DataErrorKind::NotANumber`] for an image value beyond the range of `T`.
    pub fn from_idx(images: impl AsRef<Path>, labels: impl AsRef<Path>) -> Result<Self, DataError> {
        Self::from_idx_with(images, labels, IdxOptions::default())
    }

    /// [`from_idx`](Self::from_idx) with `options` (a higher or lower decompressed limit,
    /// applied to each file).
    ///
    /// # Errors
    /// As [`from_idx`](Self::from_idx), with the limit of `options`
    /// ([`DataErrorKind::DecompressedLimit`] for a gzip file whose header claims more).
    pub fn from_idx_with(
        images: impl AsRef<Path>,
        labels: impl AsRef<Path>,
        options: IdxOptions,
    ) -> Result<Self, DataError> {
        let images = Stream::open(images.as_ref(), options)?;
        let labels = Stream::open(labels.as_ref(), options)?;
        Self::from_streams(images, labels)
    }

    /// [`from_idx`](Self::from_idx) for files held in memory; the names appear in errors.
    ///
    /// # Errors
    /// As [`from_idx`](Self::from_idx), naming the data by the names given;
    /// [`DataErrorKind::Io`] only for a gzip stream that is corrupt.
    pub fn from_idx_bytes(images: (&str, &[u8]), labels: (&str, &[u8])) -> Result<Self, DataError> {
        Self::from_idx_bytes_with(images, labels, IdxOptions::default())
    }

    /// [`from_idx_bytes`](Self::from_idx_bytes) with `options`.
    ///
    /// # Errors
    /// As [`from_idx_bytes`](Self::from_idx_bytes), with the limit of `options`.
    pub fn from_idx_bytes_with(
        (images_name, images): (&str, &[u8]),
        (labels_name, labels): (&str, &[u8]),
        options: IdxOptions,
    ) -> Result<Self, DataError> {
        let images = Stream::new(images_name.as_ref(), images, images.len() as u64, options)?;
        let labels = Stream::new(labels_name.as_ref(), labels, labels.len() as u64, options)?;
        Self::from_streams(images, labels)
    }

    fn from_streams(mut images: Stream<'_>, mut labels: Stream<'_>) -> Result<Self, DataError> {
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
            return Err(DataError::new(images.path(), Location::Byte(4), kind));
        }
        if labels.dims != [n] {
            let kind = DataErrorKind::Shape {
                what: "labels",
                expected: format!("{n} (one per image in {})", images.path().display()),
                found: shape(&labels.dims),
            };
            return Err(DataError::new(labels.path(), Location::Byte(4), kind));
        }
        if n == 0 {
            return Err(DataError::new(images.path(), Location::File, DataErrorKind::Empty));
        }
        // Values are kept as they are read: all at once for a raw file, whose length was
        // checked against the header; in blocks for a gzip file, whose length is only
        // claimed, so that nothing is reserved for bytes that may never come.
        fn room<V>(stream: &Stream<'_>, n: usize) -> Blocks<V> {
            if stream.compressed() { Blocks::new() } else { Blocks::with_capacity(n) }
        }
        let mut classes = room(&labels, n);
        let decode = labels.decoder();
        labels.read_values(|_, bytes| {
            let label = decode(bytes);
            if !(label >= 0.0 && label < K as f64 && label.fract() == 0.0) {
                return Err(DataErrorKind::LabelOutOfRange {
                    found: number_text(label),
                    classes: K,
                });
            }
            classes.push(label as usize);
            Ok(())
        })?;
        let classes = classes.into_vec();
        // Each value goes straight into its row; a row may straddle two chunks.
        let mut features = room(&images, n);
        let mut row = [T::ZERO; N];
        let mut column = 0;
        let decode = images.decoder();
        images.read_values(|_, bytes| {
            let value = decode(bytes);
            row[column] = T::from_f64(value);
            // 1e39 is finite in f64 but not in f32.
            if !row[column].to_f64().is_finite() {
                let found = format!("{} (out of the range of {})", number_text(value), T::NAME);
                return Err(DataErrorKind::NotANumber { found });
            }
            column += 1;
            if column == N {
                features.push(row);
                column = 0;
            }
            Ok(())
        })?;
        if N == 0 {
            // Rows of no features hold no values to read.
            (0..n).for_each(|_| features.push(row));
        }
        Ok(Self { features: features.into_vec(), labels: classes, class_names: None })
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
            labels: indices.iter().map(|&i| self.labels[i]).collect(),
            class_names: self.class_names.clone(),
        }
    }

    /// Reorders the samples by a permutation drawn from `rng` (see [`permutation`]).
    pub fn shuffle<R: Rng + ?Sized>(&mut self, rng: &mut R) {
        *self = self.subset_unchecked(&permutation(self.len(), rng));
    }

    /// The first `n` samples and the rest.
    ///
    /// Both parts must hold samples, so `n` runs from 1 to `len() − 1`; any other `n` is the
    /// error [`DataErrorKind::EmptySplit`].
    ///
    /// # Errors
    /// [`DataErrorKind::EmptySplit`] for `n` of 0, or of `len()` or more.
    pub fn split_at(mut self, n: usize) -> Result<(Self, Self), DataError> {
        check_split_at(self.len(), n)?;
        let rest = Self {
            features: self.features.split_off(n),
            labels: self.labels.split_off(n),
            class_names: self.class_names.clone(),
        };
        Ok((self, rest))
    }

    /// A seeded train/test split: shuffles with `rng`, then keeps `test_fraction` of the
    /// samples (rounded to the nearest whole sample) as the test set, the rest for training.
    /// The same seed gives the same split on every machine.
    ///
    /// `test_fraction` must lie strictly between 0 and 1 (NaN, 0, 1 or anything outside
    /// is the error [`DataErrorKind::Fraction`]), and since a data set is never empty, both
    /// sets must get at least one sample: a fraction that rounds to none or all of them
    /// (0.01 of 10 samples) is the error [`DataErrorKind::EmptySplit`]. Nothing is drawn
    /// from `rng` when the split is refused.
    ///
    /// ```
    /// use ferroflow::data::{DataErrorKind, Dataset};
    /// use ferroflow::{SeedableRng, SeededRng};
    /// let data = Dataset::<f32, 1, 2>::new((0..10).map(|i| [i as f32]).collect(), vec![0; 10])?;
    /// let mut rng = SeededRng::seed_from_u64(7);
    /// let (train, test) = data.clone().split(0.2, &mut rng)?;
    /// assert_eq!((train.len(), test.len()), (8, 2));
    /// let error = data.split(f64::NAN, &mut rng).unwrap_err();
    /// assert!(matches!(error.kind, DataErrorKind::Fraction { .. }));
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
}
