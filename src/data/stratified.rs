//! Splits that keep the classes' proportions: a stratified train/test split and the
//! stratified folds of k-fold cross-validation.

use super::dataset::Dataset;
use super::error::{DataError, empty_split, split_sizes};
use super::shuffle::permutation;
use crate::{Element, Rng};

/// How many samples of each class go to the test side when `total` of the samples
/// counted in `counts` do, each class `c` giving ⌊counts[c]·f⌋ or one more: the extra ones
/// go to the classes with the largest remainders (the lower class first among equal
/// remainders). Needs `0 < f < 1`.
fn apportion<const K: usize>(counts: &[usize; K], f: f64, total: usize) -> [usize; K] {
    let mut share: [usize; K] = core::array::from_fn(|c| (counts[c] as f64 * f).floor() as usize);
    let given: usize = share.iter().sum();
    let mut by_remainder: Vec<usize> = (0..K).filter(|&c| counts[c] > 0).collect();
    let remainder = |c: usize| counts[c] as f64 * f - share[c] as f64;
    // A stable sort: equal remainders keep the class order.
    by_remainder.sort_by(|&a, &b| remainder(b).total_cmp(&remainder(a)));
    // ⌊n_c f⌋ < n_c for f < 1, so one more always fits in the class.
    for &c in by_remainder.iter().take(total.saturating_sub(given)) {
        share[c] += 1;
    }
    share
}

impl<T: Element, const N: usize, const K: usize> Dataset<T, N, K> {
    /// A seeded train/test split that keeps each class's share: [`split`](Self::split),
    /// with each class split in the proportion `test_fraction`.
    ///
    /// The test set gets round(n · `test_fraction`) of the n samples, as `split` gives it.
    /// A class of n_c samples gives it ⌊n_c · `test_fraction`⌋ of them or one more; the
    /// classes with the largest fractional parts n_c · `test_fraction` − ⌊…⌋ give the one
    /// more, until the total is reached (the lower class first among equal parts). Which
    /// samples go is drawn from `rng` (one shuffle of the whole set, as `split` draws),
    /// and both sets hold their samples in that shuffled order, classes mixed. The same
    /// seed gives the same split on every machine.
    ///
    /// The errors are `split`'s: a `test_fraction` not strictly between 0 and 1 is
    /// [`DataErrorKind::Fraction`](super::DataErrorKind::Fraction), one that leaves either side without samples
    /// [`DataErrorKind::EmptySplit`](super::DataErrorKind::EmptySplit); nothing is drawn from `rng` then.
    ///
    /// ```
    /// use ferroflow::{SeedableRng, SeededRng};
    /// let digits = ferroflow::data::digits::<f32>();
    /// let (train, test) = digits.stratified_split(0.2, &mut SeededRng::seed_from_u64(1))?;
    /// // 178 zeros: 35.6 of them, so 35 or 36, go to the test set.
    /// assert!((35..=36).contains(&test.class_counts()[0]));
    /// assert_eq!((train.len(), test.len()), (1438, 359));
    /// # Ok::<(), ferroflow::data::DataError>(())
    /// ```
    ///
    /// # Errors
    /// As [`split`](Self::split): [`DataErrorKind::Fraction`](super::DataErrorKind::Fraction)
    /// for a `test_fraction` not strictly between 0 and 1, and
    /// [`DataErrorKind::EmptySplit`](super::DataErrorKind::EmptySplit) for one that leaves
    /// either set without samples.
    pub fn stratified_split<R: Rng + ?Sized>(
        self,
        test_fraction: f64,
        rng: &mut R,
    ) -> Result<(Self, Self), DataError> {
        let n = self.len();
        let (_, test) = split_sizes(n, test_fraction)?;
        let mut quota = apportion(&self.class_counts(), test_fraction, test);
        let (mut train_indices, mut test_indices) = (Vec::new(), Vec::new());
        for i in permutation(n, rng) {
            let class = self.labels()[i];
            if quota[class] > 0 {
                quota[class] -= 1;
                test_indices.push(i);
            } else {
                train_indices.push(i);
            }
        }
        Ok((self.pick(&train_indices), self.pick(&test_indices)))
    }

    /// The `k` (training, validation) pairs of stratified k-fold cross-validation.
    ///
    /// The samples are dealt into `k` folds: each class's samples, in an order drawn from
    /// `rng`, one per fold in turn, the next class carrying on where the last one stopped.
    /// So every sample is in exactly one validation fold, each class's count differs by at
    /// most one between folds, and so does each fold's size. Pair `i` validates on fold
    /// `i` and trains on the other `k − 1`; both keep the samples' original order. The
    /// same seed gives the same folds on every machine.
    ///
    /// The pairs together hold `k` copies of the data;
    /// [`cross_validate`](crate::train::cross_validate) makes the same folds one pair at a
    /// time.
    ///
    /// Each side of each pair must hold samples: `k` below 2 (a fold would leave nothing
    /// to train on) is the error [`DataErrorKind::EmptySplit`](super::DataErrorKind::EmptySplit) with `first` (the training
    /// side) 0, and `k` above the number of samples (a fold would be empty) the same
    /// error with `first` the number of samples. Nothing is drawn from `rng` then.
    ///
    /// ```
    /// use ferroflow::{SeedableRng, SeededRng};
    /// let digits = ferroflow::data::digits::<f32>();
    /// let folds = digits.folds(5, &mut SeededRng::seed_from_u64(1))?;
    /// assert_eq!(folds.len(), 5);
    /// let validated: usize = folds.iter().map(|(_, validation)| validation.len()).sum();
    /// assert_eq!(validated, 1797);
    /// for (train, validation) in &folds {
    ///     assert_eq!(train.len() + validation.len(), 1797);
    ///     // 178 zeros in 5 folds: 35 or 36 in each.
    ///     assert!((35..=36).contains(&validation.class_counts()[0]));
    /// }
    /// # Ok::<(), ferroflow::data::DataError>(())
    /// ```
    ///
    /// # Errors
    /// [`DataErrorKind::EmptySplit`](super::DataErrorKind::EmptySplit) for `k` below 2 or above
    /// `len()`.
    pub fn folds<R: Rng + ?Sized>(
        &self,
        k: usize,
        rng: &mut R,
    ) -> Result<Vec<(Self, Self)>, DataError> {
        let fold = self.fold_of_each_sample(k, rng)?;
        Ok((0..k).map(|v| self.fold_pair(&fold, v)).collect())
    }

    /// The fold (from 0 to `k − 1`) of each sample, dealt as [`folds`](Self::folds) says,
    /// with its errors.
    pub(crate) fn fold_of_each_sample<R: Rng + ?Sized>(
        &self,
        k: usize,
        rng: &mut R,
    ) -> Result<Vec<usize>, DataError> {
        let n = self.len();
        if k < 2 {
            return Err(empty_split(n, 0));
        }
        if k > n {
            return Err(empty_split(n, n));
        }
        // One shuffle of the whole set, then the samples grouped by class in that order
        // (a stable sort keeps the shuffled order within a class).
        let mut by_class = permutation(n, rng);
        by_class.sort_by_key(|&i| self.labels()[i]);
        let mut fold = vec![0; n];
        for (position, &i) in by_class.iter().enumerate() {
            fold[i] = position % k;
        }
        Ok(fold)
    }

    /// The (training, validation) pair of fold `v`, from the folds of
    /// [`fold_of_each_sample`](Self::fold_of_each_sample).
    pub(crate) fn fold_pair(&self, fold: &[usize], v: usize) -> (Self, Self) {
        let (validation, train): (Vec<usize>, Vec<usize>) =
            (0..self.len()).partition(|&i| fold[i] == v);
        (self.pick(&train), self.pick(&validation))
    }

    /// The samples at `indices` (not empty, each below `len()`), with the class names.
    fn pick(&self, indices: &[usize]) -> Self {
        Self::from_checked(
            indices.iter().map(|&i| self.features()[i]).collect(),
            indices.iter().map(|&i| self.labels()[i]).collect(),
            self.class_names().map(<[String]>::to_vec),
        )
    }
}
