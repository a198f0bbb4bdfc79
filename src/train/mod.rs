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
