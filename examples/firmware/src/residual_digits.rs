//! A residual MLP on the handwritten digits (8 × 8 pixels), shared word for word by the
//! host example `examples/residual_digits.rs` (which trains it beside a plain MLP and
//! compares their test accuracy), the firmware's build script (which trains it the same
//! way, from the same seed, and bakes its weights and test samples into flash) and the
//! `residual` firmware (which classifies those samples on the device).
//!
//! The training recipe needs the standard library, so it is compiled for the host only.

use ferroflow::prelude::*;

network! {
    /// 64 pixels → 32 (ReLU) → two residual blocks of 32 (tanh), each adding its input
    /// back → 10 (softmax); 4 522 parameters.
    pub struct ResidualDigits<f32> {
        input: 64,
        stem: Perceptron<32, Relu>,
        block1: Perceptron<32, Tanh>,
        skip1: Sum(stem, block1),
        block2: Perceptron<32, Tanh>,
        skip2: Sum(skip1, block2),
        output: Perceptron<10, Softmax>,
    }
}

/// The test samples the firmware classifies: the first this many of the test set.
pub const DEVICE_SAMPLES: usize = 100;

#[cfg(not(target_os = "none"))]
pub use host::*;

#[cfg(not(target_os = "none"))]
mod host {
    use ferroflow::data::{self, DataError, Dataset, Standardise};
    use ferroflow::prelude::*;
    use ferroflow::train::{EarlyStopping, EpochReport, TrainError, Trainer};

    network! {
        /// The plain MLP of `examples/digits.rs`, for comparison: 64 → 32 (sigmoid) → 10
        /// (softmax), 2 410 parameters.
        pub struct PlainDigits<f32> {
            input: 64,
            hidden: Perceptron<32, Sigmoid>,
            output: Perceptron<10, Softmax>,
        }
    }

    /// The seed of the split, the initial weights and the shuffling.
    pub const SEED: u64 = 2026;
    /// At most this many epochs; early stopping ends sooner.
    pub const EPOCHS: usize = 60;
    /// Samples per training step.
    pub const BATCH: usize = 32;
    /// Adam's step size.
    pub const LEARNING_RATE: f32 = 0.005;
    /// Adam's weight decay.
    pub const WEIGHT_DECAY: f32 = 1e-3;

    /// The digits split 72 / 8 / 20 into training, validation and test sets, standardised
    /// with the training set's statistics.
    pub struct Split {
        /// The samples trained on.
        pub train: Dataset<f32, 64, 10>,
        /// The samples early stopping watches.
        pub validation: Dataset<f32, 64, 10>,
        /// The samples reported on, never seen in training.
        pub test: Dataset<f32, 64, 10>,
    }

    /// The data, from [`SEED`]: 80 % for training (of which a tenth for validation), 20 %
    /// for testing. Fails only if a fraction leaves a set empty.
    pub fn split() -> Result<(Split, SeededRng), DataError> {
        let mut rng = SeededRng::seed_from_u64(SEED);
        let (train, mut test) = data::digits::<f32>().split(0.2, &mut rng)?;
        let (mut train, mut validation) = train.split(0.1, &mut rng)?;
        let standardise = Standardise::fit(&train);
        for set in [&mut train, &mut validation, &mut test] {
            standardise.apply(set);
        }
        Ok((Split { train, validation, test }, rng))
    }

    /// Trains `net` on `split` with Adam, in batches of [`BATCH`], stopping early when the
    /// validation loss has not improved for 10 epochs; `report` sees every epoch. Returns
    /// the number of epochs run, or why training stopped short.
    pub fn train<Net>(
        net: &mut Net,
        split: &Split,
        mut report: impl FnMut(&EpochReport),
    ) -> Result<usize, TrainError>
    where
        Net: Network<f32, 64, 10>,
    {
        let mut adam = Adam::new(LEARNING_RATE).with_weight_decay(WEIGHT_DECAY);
        let mut trainer = Trainer::new(&split.train, SEED)
            .batch_size::<BATCH>()
            .epochs(EPOCHS)
            .validation(&split.validation)
            .early_stopping(EarlyStopping::new(10))
            .quiet();
        while let Some(epoch) = trainer.epoch(net, &mut adam)? {
            report(&epoch);
        }
        Ok(trainer.completed())
    }
}
