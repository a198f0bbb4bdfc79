//! Real data: the IDX format of MNIST and CSV files, normalisation, one-hot labels,
//! seeded shuffles and splits, and mini-batches of a const size.
//!
//! CSV files are read as people have them ([`Dataset::from_csv`]): a header, quoted
//! fields, CRLF, a byte order mark, the label column by name or index, columns to ignore,
//! labels that are names (kept as [`Dataset::class_names`]) and missing values, refused,
//! dropped or filled ([`Missing`]).
//!
//! A [`Dataset<T, N, K>`](Dataset) holds samples of `N` features, each labelled with one
//! of `K` classes; both widths are checked when a file is loaded, and every problem with a
//! file is a [`DataError`] that names the file, the place and what was expected and found.
//! Batches are [`Matrix<T, B, N>`](crate::Matrix) values ready for a network's
//! `train_step`, with one-hot labels beside them.
//!
//! A [`RegressionSet<T, N, M>`](RegressionSet) holds samples of `N` features with `M`
//! numeric targets instead of a class. It reads CSV files through the same reader
//! ([`RegressionSet::from_csv`]: the target is the label column, or the columns
//! [`CsvOptions::targets`] lists; a missing target is dropped or refused, never filled),
//! splits and batches like a [`Dataset`], fits [`Standardise`] and [`MinMax`] on its
//! features ([`RegressionSet::standardise`]), and measures a network's MSE, MAE and R²
//! ([`RegressionSet::evaluate`]). Train it with a network whose loss is
//! `MeanSquaredError` and a plain loop of `train_step` over
//! [`shuffled_batches`](RegressionSet::shuffled_batches).
//!
//! Loading is bounded and silent about nothing. A loader's peak memory is at most twice the
//! data set it returns, plus a constant; a gzip file's header may claim at most
//! [`IdxOptions::decompressed_limit`] bytes ([`DEFAULT_DECOMPRESSED_LIMIT`], 1 GiB) and a
//! CSV line at most [`CsvOptions::max_line_bytes`]; nothing is reserved for bytes that have
//! not been read. NaN, infinities and values beyond `T`'s range are refused where they
//! stand, in files and in [`Dataset::new`]; a data set is never empty, and a
//! [`split`](Dataset::split) must leave samples on both sides.
//!
//! ```
//! use ferroflow::data::{self, LastBatch, Standardise};
//! use ferroflow::{SeedableRng, SeededRng};
//!
//! let mut rng = SeededRng::seed_from_u64(42);
//! let (mut train, mut test) = data::digits::<f32>().split(0.2, &mut rng)?;
//! let standardise = Standardise::fit(&train);
//! standardise.apply(&mut train);
//! standardise.apply(&mut test);
//! assert_eq!((train.len(), test.len()), (1438, 359));
//! for batch in train.shuffled_batches::<32, _>(&mut rng, LastBatch::Wrap) {
//!     // batch.inputs: Matrix<f32, 32, 64>, batch.labels: Matrix<f32, 32, 10>
//!     assert_eq!(batch.len, 32);
//! }
//! # Ok::<(), ferroflow::data::DataError>(())
//! ```

mod batch;
mod csv;
mod dataset;
mod error;
mod grow;
mod idx;
mod normalise;
mod regression;
mod shuffle;
mod stratified;

pub use batch::{Batch, Batches, LastBatch};
pub use csv::{
    Column, CsvOptions, CsvReport, DEFAULT_FIELD_BYTES, DEFAULT_MISSING_VALUES, LabelColumn,
    MIN_LINE_BYTES, Missing,
};
pub use dataset::{Dataset, one_hot};
pub use error::{ColumnAt, DataError, DataErrorKind, Location};
pub use idx::{DEFAULT_DECOMPRESSED_LIMIT, Idx, IdxData, IdxOptions};
pub use normalise::{MinMax, Standardise};
pub use regression::{
    REGRESSION_EVALUATION_BATCH, RegressionBatch, RegressionBatches, RegressionEvaluation,
    RegressionSet,
};
pub use shuffle::{permutation, shuffle};

use crate::Element;

const DIGITS_IMAGES: &[u8] =
    include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/digits-images-idx3-ubyte.gz"));
const DIGITS_LABELS: &[u8] =
    include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/digits-labels-idx1-ubyte.gz"));

/// The 1797 handwritten digits of the UCI "Optical Recognition of Handwritten Digits"
/// test set (as scikit-learn's `load_digits` ships them): 8 × 8 images of pixel counts
/// 0–16 and their digits, grouped by class as stored. Built into the library (44 kB, CC BY
/// 4.0; see `data/README.md`), so it loads without any file.
// Cannot panic: no input, and the built-in files load as f32 and f64 (tests do both).
#[allow(clippy::missing_panics_doc)]
pub fn digits<T: Element>() -> Dataset<T, 64, 10> {
    match Dataset::from_idx_bytes(
        ("data/digits-images-idx3-ubyte.gz", DIGITS_IMAGES),
        ("data/digits-labels-idx1-ubyte.gz", DIGITS_LABELS),
    ) {
        Ok(data) => data,
        // The files are part of the crate and tested; failing here is a broken build.
        Err(error) => panic!("the built-in digits data set does not load: {error}"),
    }
}
