//! Why training cannot go on: no data to train on, or a network that has diverged.

use crate::optim::Parameters;
use crate::{Element, data::Dataset};
use std::fmt;

/// Features larger than this in magnitude suggest data that was never scaled: standardised
/// features rarely pass 10, pixels are 255, and a sigmoid saturates from about 20.
const UNSCALED: f64 = 20.0;

/// Training stopped: the error [`Trainer::epoch`](super::Trainer::epoch) returns.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum TrainError {
    /// Every sample would be left out: fewer samples than one batch, and
    /// [`drop_last`](super::Trainer::drop_last) drops the shorter batch.
    #[error(
        "the training set's {samples} samples do not fill one batch of {batch}, and \
         `drop_last` leaves them out: use a smaller batch, or let the last batch wrap"
    )]
    NoFullBatch {
        /// The number of training samples.
        samples: usize,
        /// The batch size.
        batch: usize,
    },
    /// A loss or a parameter stopped being a finite number.
    #[error("{0}")]
    Diverged(Box<Divergence>),
}

/// Where and how training diverged, and what the network holds now.
#[derive(Clone, Debug, PartialEq)]
pub struct Divergence {
    /// The epoch, counting from 1.
    pub epoch: usize,
    /// The batch of that epoch (from 1), or `None` when the validation set found it.
    pub batch: Option<usize>,
    /// The number of batches in the epoch.
    pub batches: usize,
    /// What was not finite.
    pub found: NonFinite,
    /// The last finite batch loss before it, if there was one.
    pub last_finite_loss: Option<f64>,
    /// The most likely reason.
    pub cause: LikelyCause,
    /// The network was given back the weights it had at the end of this epoch (0: the
    /// weights training started from). They are all finite. The optimizer's state is not
    /// restored: it may hold non-finite values, so train on with a new optimizer.
    pub weights_from_epoch: usize,
}

/// The value that was not finite.
#[derive(Clone, Debug, PartialEq)]
pub enum NonFinite {
    /// A batch's training loss (taken before the batch's update).
    Loss(f64),
    /// A parameter, after the batch's update.
    Parameter {
        /// The tensor, as safetensors names it (`hidden.weight`).
        tensor: String,
        /// The position in the tensor, row-major.
        index: usize,
        /// The value.
        value: f64,
    },
    /// The loss on the validation set after the epoch.
    ValidationLoss(f64),
}

/// What most likely made training diverge.
#[derive(Clone, Debug, PartialEq)]
pub enum LikelyCause {
    /// A training sample holds a feature that is not a finite number.
    NonFiniteFeature {
        /// The sample's index in the training set.
        sample: usize,
    },
    /// The features were not scaled: the largest magnitude among them.
    UnscaledFeatures {
        /// The largest `|x|` of any feature in the training set.
        largest: f64,
    },
    /// The learning rate is too large for this network and data.
    LearningRate {
        /// The rate of the epoch that diverged.
        rate: f64,
    },
}

impl LikelyCause {
    /// Reads the training set for the likeliest cause: a non-finite feature, then features
    /// far from unit scale, else the learning rate.
    pub(super) fn diagnose<T: Element, const N: usize, const K: usize>(
        train: &Dataset<T, N, K>,
        rate: f64,
    ) -> Self {
        let mut largest = 0.0f64;
        for (sample, features) in train.features().iter().enumerate() {
            for &x in features {
                let x = x.to_f64();
                if !x.is_finite() {
                    return Self::NonFiniteFeature { sample };
                }
                largest = largest.max(x.abs());
            }
        }
        if largest > UNSCALED {
            Self::UnscaledFeatures { largest }
        } else {
            Self::LearningRate { rate }
        }
    }
}

impl NonFinite {
    /// The first non-finite parameter of `net`, if any.
    pub(super) fn find_parameter<T: Element>(net: &impl Parameters<T>) -> Option<Self> {
        let mut found = None;
        net.for_each_param(&mut |name, values| {
            if found.is_none()
                && let Some(index) = values.iter().position(|v| !v.is_finite())
            {
                let value = values[index].to_f64();
                found = Some(Self::Parameter { tensor: name.to_string(), index, value });
            }
        });
        found
    }
}

impl fmt::Display for Divergence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "training diverged in epoch {}", self.epoch)?;
        match self.batch {
            Some(batch) => write!(f, ", batch {batch} of {}: ", self.batches)?,
            None => f.write_str(", on the validation set: ")?,
        }
        match &self.found {
            NonFinite::Loss(loss) => write!(f, "the loss is {loss}")?,
            NonFinite::Parameter { tensor, index, value } => {
                write!(f, "the update made {tensor}[{index}] {value}")?
            }
            NonFinite::ValidationLoss(loss) => write!(f, "the validation loss is {loss}")?,
        }
        match self.last_finite_loss {
            Some(loss) => write!(f, " (the last finite loss was {loss:.4})")?,
            None => f.write_str(" (no batch had a finite loss)")?,
        }
        f.write_str(".\nLikely cause: ")?;
        match self.cause {
            LikelyCause::NonFiniteFeature { sample } => write!(
                f,
                "training sample {sample} holds a feature that is not a finite number; \
                 check the data and any scaling applied to it"
            )?,
            LikelyCause::UnscaledFeatures { largest } => write!(
                f,
                "features as large as {} in magnitude; standardise them \
                 (`Standardise::fit(&train)`, then `apply` to every set) or scale them to \
                 about [-1, 1]",
                Readable(largest)
            )?,
            LikelyCause::LearningRate { rate } => write!(
                f,
                "the learning rate {rate:.2e} is too large for this network; try a tenth of it"
            )?,
        }
        match self.weights_from_epoch {
            0 => f.write_str(".\nThe network holds the weights it started training with")?,
            epoch => write!(f, ".\nThe network holds its weights from the end of epoch {epoch}")?,
        }
        f.write_str(
            "; the optimizer's state may not be finite, so make a new optimizer to train on.",
        )
    }
}

/// A magnitude above [`UNSCALED`] as a person reads it: `255`, `16000`, `1.60e30`.
struct Readable(f64);

impl fmt::Display for Readable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 < 1e6 { write!(f, "{:.0}", self.0) } else { write!(f, "{:.2e}", self.0) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_divergence_says_where_what_why_and_what_the_network_holds() {
        let divergence = Divergence {
            epoch: 7,
            batch: Some(12),
            batches: 45,
            found: NonFinite::Parameter {
                tensor: "hidden.weight".into(),
                index: 130,
                value: f64::INFINITY,
            },
            last_finite_loss: Some(0.43125),
            cause: LikelyCause::UnscaledFeatures { largest: 255.0 },
            weights_from_epoch: 6,
        };
        assert_eq!(
            TrainError::Diverged(Box::new(divergence)).to_string(),
            "training diverged in epoch 7, batch 12 of 45: the update made hidden.weight[130] inf \
             (the last finite loss was 0.4313).\n\
             Likely cause: features as large as 255 in magnitude; standardise them \
             (`Standardise::fit(&train)`, then `apply` to every set) or scale them to about [-1, 1].\n\
             The network holds its weights from the end of epoch 6; the optimizer's state may \
             not be finite, so make a new optimizer to train on."
        );
    }

    #[test]
    fn a_batch_too_large_for_the_data_says_so_and_what_to_do() {
        let error = TrainError::NoFullBatch { samples: 20, batch: 32 };
        assert_eq!(
            error.to_string(),
            "the training set's 20 samples do not fill one batch of 32, and `drop_last` leaves \
             them out: use a smaller batch, or let the last batch wrap"
        );
        assert!(std::error::Error::source(&error).is_none());
    }
}
