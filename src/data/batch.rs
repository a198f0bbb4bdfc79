//! Mini-batches of a const size `B`, and what happens to the last, shorter one.

use super::dataset::Dataset;
use super::shuffle::permutation;
use crate::{Element, Matrix, Rng};

/// What to do with the last batch of an epoch when the batch size `B` does not divide the
/// number of samples, leaving `r < B` of them.
///
/// Losses are means over the `B` rows of a batch, so a batch padded with zero rows must
/// not be trained on: the padding would count as samples. Train with [`Wrap`] (or
/// [`Drop`]); evaluate with [`Pad`], counting only the first [`Batch::len`] rows.
///
/// [`Wrap`]: LastBatch::Wrap
/// [`Drop`]: LastBatch::Drop
/// [`Pad`]: LastBatch::Pad
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LastBatch {
    /// Fill the last batch up with samples from the start of this epoch's order, so it
    /// holds `B` real samples, as every batch does; `len` is `B`. Every sample is then
    /// trained on at least once per epoch, and `B − r` of them twice. For training.
    Wrap,
    /// Leave the `r` samples out of this epoch (PyTorch's `drop_last=True`). With a new
    /// shuffle each epoch, different samples miss out each time. For training.
    Drop,
    /// Yield the `r` samples with zero rows after them; `len` is `r`. For evaluation: count
    /// only the first `len` rows.
    Pad,
}

/// `B` samples: their features, one-hot labels and classes, one sample per row.
///
/// Rows from [`len`](Batch::len) on are padding (zeros) and are not samples: they appear
/// only in the last batch of [`LastBatch::Pad`].
///
/// The type is aligned to 64 bytes, so the features start on a cache line wherever the
/// batch lives (in a `Box`, on the stack): the first layer's product reads them a vector
/// at a time, and a vector that straddles two lines costs two loads.
#[derive(Clone, Debug, PartialEq)]
// The features start on a 64-byte boundary, a cache line and an AVX-512 vector (a boxed
// batch gets the type's alignment; the allocator's own is 16): the first layer's product
// reads them 16 `f32` at a time, and off a line every such load straddles two. W3's step
// (784 inputs, batch 64) ran 5% faster from an aligned batch (BENCHMARKS.md).
#[repr(C, align(64))]
pub struct Batch<T: Element, const B: usize, const N: usize, const K: usize> {
    /// The features, one sample per row.
    pub inputs: Matrix<T, B, N>,
    /// The one-hot labels, one sample per row: what a loss compares the output with.
    pub labels: Matrix<T, B, K>,
    /// The class of each row.
    pub classes: [usize; B],
    /// How many rows are samples (the rest are zero padding).
    pub len: usize,
}

impl<T: Element, const B: usize, const N: usize, const K: usize> Batch<T, B, N, K> {
    /// A batch of zeros with no samples, to fill with [`Dataset::fill_batch`].
    pub fn zeros() -> Self {
        Self {
            inputs: crate::matrix::zeros(),
            labels: crate::matrix::zeros(),
            classes: [0; B],
            len: 0,
        }
    }

    /// How many of the samples does `predicted` (one class per row, e.g. from
    /// `classify_batch`) get right, padding rows not counted.
    pub fn correct(&self, predicted: &[usize; B]) -> usize {
        (0..self.len).filter(|&r| predicted[r] == self.classes[r]).count()
    }
}

/// An iterator over the batches of one epoch: see [`Dataset::batches`] and
/// [`Dataset::shuffled_batches`].
#[derive(Clone, Debug)]
pub struct Batches<'a, T: Element, const B: usize, const N: usize, const K: usize> {
    data: &'a Dataset<T, N, K>,
    epoch: Epoch,
}

/// One epoch's walk through an order of samples, `B` at a time, as [`LastBatch`] says:
/// what the batch iterators of classification and regression sets share.
#[derive(Clone, Debug)]
pub(super) struct Epoch {
    order: Vec<usize>,
    next: usize,
    last: LastBatch,
}

impl Epoch {
    pub(super) fn new(order: Vec<usize>, last: LastBatch) -> Self {
        Self { order, next: 0, last }
    }

    /// The order the samples are visited in.
    pub(super) fn order(&self) -> &[usize] {
        &self.order
    }

    /// Gives the indices of the next batch of `B` to `fill`; `false` (and no call) at the
    /// end of the epoch.
    pub(super) fn advance<const B: usize>(&mut self, fill: impl FnOnce(&[usize])) -> bool {
        let remaining = self.order.len() - self.next;
        if B == 0 || remaining == 0 || (remaining < B && self.last == LastBatch::Drop) {
            return false;
        }
        let end = (self.next + B).min(self.order.len());
        if remaining < B && self.last == LastBatch::Wrap {
            // Cycle through the epoch's order from its start; with fewer samples than `B`
            // in the whole set, it goes round more than once.
            let indices: Vec<usize> =
                (self.next..self.next + B).map(|i| self.order[i % self.order.len()]).collect();
            fill(&indices);
        } else {
            fill(&self.order[self.next..end]);
        }
        self.next = end;
        true
    }

    /// The batches of `B` left in the epoch.
    pub(super) fn batches_left<const B: usize>(&self) -> usize {
        let remaining = self.order.len() - self.next;
        match (B, self.last) {
            (0, _) => 0,
            (_, LastBatch::Drop) => remaining / B,
            _ => remaining.div_ceil(B),
        }
    }
}

impl<'a, T: Element, const B: usize, const N: usize, const K: usize> Batches<'a, T, B, N, K> {
    pub(super) fn new(data: &'a Dataset<T, N, K>, order: Vec<usize>, last: LastBatch) -> Self {
        Self { data, epoch: Epoch::new(order, last) }
    }

    /// The order the samples are visited in this epoch.
    pub fn order(&self) -> &[usize] {
        self.epoch.order()
    }

    /// Fills `batch` with the next batch, as [`next`](Iterator::next) would return it;
    /// `false` at the end of the epoch. One boxed batch refilled this way keeps a large
    /// `B × N` batch off the stack.
    pub fn fill_next(&mut self, batch: &mut Batch<T, B, N, K>) -> bool {
        let data = self.data;
        self.epoch.advance::<B>(|indices| data.fill_batch(indices, batch))
    }
}

impl<T: Element, const B: usize, const N: usize, const K: usize> Iterator
    for Batches<'_, T, B, N, K>
{
    type Item = Batch<T, B, N, K>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut batch = Batch::zeros();
        self.fill_next(&mut batch).then_some(batch)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.epoch.batches_left::<B>();
        (n, Some(n))
    }
}

impl<T: Element, const B: usize, const N: usize, const K: usize> ExactSizeIterator
    for Batches<'_, T, B, N, K>
{
}

// A data set's batches are written here, beside the batch type, so that `dataset.rs` needs
// nothing of this file and the two do not import each other.
impl<T: Element, const N: usize, const K: usize> Dataset<T, N, K> {
    /// Copies the samples at `indices` into `batch`, one per row, padding the rows after
    /// them with zeros; sets `batch.len` to the number of samples copied.
    ///
    /// This is what [`batches`](Self::batches) does for each batch: call it yourself to
    /// reuse one batch value (for example a boxed one, when `B × N` is large).
    pub fn fill_batch<const B: usize>(&self, indices: &[usize], batch: &mut Batch<T, B, N, K>) {
        batch.len = indices.len().min(B);
        for r in 0..B {
            let sample = indices.get(r).map(|&i| (&self.features()[i], self.labels()[i]));
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
