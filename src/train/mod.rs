//! Training on data sets: an epoch loop the caller drives, with seeded shuffling, const-size
//! mini-batches, a validation set, early stopping, a learning-rate schedule and a progress
//! bar.
//!
//! The caller keeps control: [`Trainer::epoch`] runs one epoch and returns its
//! [`EpochReport`], so the loop is the caller's own `while let`, free to print, save, change
//! the optimizer or stop.
//!
//! ```
//! use ferroflow::prelude::*;
//! use ferroflow::train::{EarlyStopping, Trainer};
//!
//! network! {
//!     struct Digits<f32> {
//!         input: 64,
//!         hidden: Perceptron<32, Sigmoid>,
//!         output: Perceptron<10, Softmax>,
//!     }
//! }
//!
//! let mut rng = SeededRng::seed_from_u64(1);
//! let mut data = ferroflow::data::digits::<f32>();
//! data.scale(1.0 / 16.0);
//! let (train, test) = data.split(0.2, &mut rng)?;
//! let (train, validation) = train.split(0.1, &mut rng)?;
//!
//! let mut net = Digits::random(&mut rng);
//! let mut adam = Adam::new(0.01);
//! let mut trainer = Trainer::new(&train, 7)
//!     .batch_size::<32>()
//!     .epochs(5)
//!     .validation(&validation)
//!     .early_stopping(EarlyStopping::new(3))
//!     .quiet();
//! while let Some(report) = trainer.epoch(&mut net, &mut adam)? {
//!     println!("{report}");
//! }
//! assert!(test.evaluate(&net).accuracy > 0.9);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # The figures people report
//!
//! Beyond an [`Evaluation`]'s loss, accuracy and confusion matrix:
//!
//! - [`ClassificationReport`] ([`Evaluation::report`]): per-class precision, recall, F1 and
//!   support, their macro and weighted averages, printed as a table;
//! - [`roc_auc`] and [`Dataset::roc_auc`](crate::data::Dataset::roc_auc): the exact area
//!   under the ROC curve of a two-class network;
//! - [`Dataset::stratified_split`](crate::data::Dataset::stratified_split): a seeded split
//!   that keeps each class's share on both sides;
//! - [`cross_validate`]: stratified k-fold cross-validation
//!   ([`Dataset::folds`](crate::data::Dataset::folds)) of whatever a closure trains, with
//!   each fold's [`Scores`] and their mean.
//!
//! ```
//! use ferroflow::prelude::*;
//! use ferroflow::train::Trainer;
//!
//! network! {
//!     struct Linear<f64> { input: 64, output: Perceptron<10, Softmax> }
//! }
//! let mut data = ferroflow::data::digits::<f64>();
//! data.scale(1.0 / 16.0);
//! let (train, test) = data.stratified_split(0.2, &mut SeededRng::seed_from_u64(3))?;
//! let mut net = Linear::random(&mut SeededRng::seed_from_u64(4));
//! let mut adam = Adam::new(0.01);
//! let mut trainer = Trainer::new(&train, 5).epochs(2).quiet();
//! while trainer.epoch(&mut net, &mut adam)?.is_some() {}
//! let names: Vec<String> = (0..10).map(|d| format!("digit {d}")).collect();
//! let report = test.evaluate(&net).report().with_names(&names);
//! assert!(report.macro_avg.f1 > 0.8);
//! println!("{report}");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod cross_validation;
mod error;
mod evaluate;
mod metrics;
mod trainer;

pub use cross_validation::{CrossValidation, Scores, cross_validate};
pub use error::{Divergence, LikelyCause, NonFinite, TrainError};
pub use evaluate::{ConfusionMatrix, EVALUATION_BATCH, Evaluation};
pub use metrics::{Averages, ClassMetrics, ClassificationReport, roc_auc};
pub use trainer::{EarlyStopping, EpochReport, Metrics, Stop, Trainer};
