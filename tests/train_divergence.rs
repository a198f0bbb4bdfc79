//! Nothing hides a diverged network: a loss is NaN whenever its inputs are, a training
//! step says so, and the trainer stops at the first non-finite loss or weight, with where,
//! why, and finite weights given back.
#![cfg(feature = "std")]

use ferroflow::data::{self, Dataset};
use ferroflow::optim::schedule::Schedule;
use ferroflow::prelude::*;
use ferroflow::train::{EarlyStopping, LikelyCause, NonFinite, TrainError, Trainer};

network! {
    struct Small<f32> {
        input: 64,
        hidden: Perceptron<16, Sigmoid>,
        output: Perceptron<10, Softmax>,
    }
}

network! {
    struct Rectified<f32> {
        input: 64,
        hidden: Perceptron<16, Relu>,
        output: Perceptron<10, Softmax>,
    }
}

network! {
    #[loss(MeanSquaredError)]
    struct Regression<f32> {
        input: 2,
        hidden: Perceptron<8, Tanh>,
        output: Perceptron<1, Identity>,
    }
}

/// The digits scaled to [0, 1], the first 320 samples.
fn digits() -> Dataset<f32, 64, 10> {
    let mut data = data::digits::<f32>();
    data.scale(1.0 / 16.0);
    data.subset(&(0..320).collect::<Vec<_>>()).unwrap()
}

/// Sets the first feature of sample `sample` to `value`, through the one door that can.
fn poison(data: &mut Dataset<f32, 64, 10>, sample: usize, value: f32) {
    let mut at = 0;
    data.map_features(|_, x| {
        at += 1;
        if at - 1 == sample * 64 { value } else { x }
    });
}

/// A batch of four digits and their one-hot labels.
fn batch(data: &Dataset<f32, 64, 10>) -> (Matrix<f32, 4, 64>, Matrix<f32, 4, 10>) {
    let x = Matrix::from_fn(|r, c| data.sample(r).0[c]);
    let y = Matrix::from_fn(|r, c| data.one_hot(r)[c]);
    (x, y)
}

#[test]
fn one_nan_feature_makes_the_step_loss_nan_for_every_activation() {
    let data = digits();
    let (mut x, y) = batch(&data);
    x[(2, 5)] = f32::NAN;
    let mut rng = SeededRng::seed_from_u64(1);

    let mut net = Small::random(&mut rng);
    assert!(net.all_finite());
    let loss = net.train_step(&x, &y, &mut GradientDescent::new(0.1));
    assert!(loss.is_nan(), "sigmoid network: {loss}");
    assert!(!net.all_finite(), "the NaN reached the first layer's weights");

    // A ReLU that turned NaN into 0 would give a finite loss here.
    let mut net = Rectified::random(&mut rng);
    let loss = net.train_step(&x, &y, &mut Adam::new(0.01));
    assert!(loss.is_nan(), "relu network: {loss}");
    assert!(net.loss(&x, &y).is_nan());
}

#[test]
fn non_finite_weights_give_a_nan_loss_not_a_clamped_one() {
    let data = digits();
    let (x, y) = batch(&data);
    let mut net = Small::random(&mut SeededRng::seed_from_u64(2));
    net.for_each_param_mut(&mut |name, values| {
        if name.to_string() == "output.bias" {
            values[3] = f32::NAN;
        }
    });
    assert!(!net.all_finite());
    assert!(net.loss(&x, &y).is_nan());
    let mut inf = Small::random(&mut SeededRng::seed_from_u64(2));
    inf.for_each_param_mut(&mut |_, values| values[0] = f32::INFINITY);
    assert!(!inf.all_finite());
}

#[test]
fn mean_squared_error_with_a_huge_rate_returns_the_infinity_or_nan() {
    let x: Matrix<f32, 4, 2> = Matrix::from_fn(|r, c| (r + 2 * c) as f32 - 2.0);
    let y: Matrix<f32, 4, 1> = Matrix::from_fn(|r, _| r as f32 * 3.0);
    let mut net = Regression::random(&mut SeededRng::seed_from_u64(3));
    let mut sgd = GradientDescent::new(1e6);
    let mut diverged_at = None;
    for step in 0..20 {
        let loss = net.train_step(&x, &y, &mut sgd);
        if !loss.is_finite() || !net.all_finite() {
            diverged_at = Some(step);
            break;
        }
    }
    assert!(diverged_at.is_some(), "a rate of 1e6 must be seen to diverge within 20 steps");
}

/// The weights of `net`, flat.
fn weights(net: &impl Parameters<f32>) -> Vec<f32> {
    let mut all = Vec::new();
    net.for_each_param(&mut |_, values| all.extend_from_slice(values));
    all
}

#[test]
fn the_trainer_stops_at_the_first_nan_batch_and_gives_back_the_epochs_weights() {
    let mut data = digits();
    // Sample 100 holds a NaN pixel: whichever batch draws it diverges.
    poison(&mut data, 100, f32::NAN);
    let mut net = Small::random(&mut SeededRng::seed_from_u64(4));
    let start = net.clone();
    let mut sgd = GradientDescent::new(0.5);
    let mut trainer = Trainer::new(&data, 5).batch_size::<32>().epochs(3).quiet();
    let Err(TrainError::Diverged(divergence)) = trainer.epoch(&mut net, &mut sgd) else {
        panic!("a NaN feature must end the first epoch");
    };
    assert_eq!(divergence.epoch, 1);
    let batch = divergence.batch.expect("found in training");
    assert!((1..=10).contains(&batch) && divergence.batches == 10, "{divergence:?}");
    assert!(matches!(divergence.found, NonFinite::Loss(loss) if loss.is_nan()));
    assert_eq!(divergence.last_finite_loss.is_some(), batch > 1);
    assert_eq!(divergence.cause, LikelyCause::NonFiniteFeature { sample: 100 });
    assert_eq!(divergence.weights_from_epoch, 0);
    assert_eq!(net, start, "the weights training started from");
    // Training is over: no further epoch runs on a diverged trainer.
    assert_eq!(trainer.epoch(&mut net, &mut sgd), Ok(None));
}

/// Gradient descent's rate multiplied by `factor` from epoch `from` (counting from 0).
struct JumpAt {
    from: usize,
    factor: f64,
}

impl Schedule for JumpAt {
    fn learning_rate(&self, initial: f64, epoch: usize) -> f64 {
        if epoch >= self.from { initial * self.factor } else { initial }
    }
}

#[test]
fn early_stopping_never_calls_a_nan_an_improvement_and_restores_finite_weights() {
    let data = digits();
    let train = data.subset(&(0..256).collect::<Vec<_>>()).unwrap();
    let validation = data.subset(&(256..320).collect::<Vec<_>>()).unwrap();
    let mut net = Small::random(&mut SeededRng::seed_from_u64(6));
    let mut sgd = GradientDescent::new(0.5);
    // Epochs 1-3 train well; from epoch 4 the rate is 3e38, near `f32::MAX`: a few steps
    // push weights past it.
    let mut trainer = Trainer::new(&train, 2)
        .batch_size::<32>()
        .epochs(20)
        .validation(&validation)
        .early_stopping(EarlyStopping::new(20))
        .schedule(JumpAt { from: 3, factor: 6e38 })
        .quiet();
    let (mut best_weights, mut best_epoch) = (Vec::new(), 0);
    let error = loop {
        match trainer.epoch(&mut net, &mut sgd) {
            Ok(Some(report)) => {
                assert!(report.train.loss.is_finite(), "{report}");
                if report.improved {
                    (best_weights, best_epoch) = (weights(&net), report.epoch);
                }
            }
            Ok(None) => panic!("a rate of 3e38 must diverge"),
            Err(error) => break error,
        }
    };
    let TrainError::Diverged(divergence) = &error else { panic!("{error}") };
    assert_eq!(divergence.epoch, 4);
    assert_eq!(best_epoch, 3, "epochs 1-3 improved");
    assert_eq!(divergence.weights_from_epoch, 3, "the best epoch");
    let non_finite = match &divergence.found {
        NonFinite::Loss(loss) => !loss.is_finite(),
        NonFinite::Parameter { value, .. } => !value.is_finite(),
        NonFinite::ValidationLoss(_) => false,
    };
    assert!(non_finite, "{divergence:?}");
    assert_eq!(divergence.cause, LikelyCause::LearningRate { rate: f64::from(3e38f32) });
    assert!(divergence.last_finite_loss.is_some_and(f64::is_finite));
    assert!(net.all_finite());
    assert_eq!(weights(&net), best_weights);
    let message = error.to_string();
    assert!(message.starts_with("training diverged in epoch 4, batch "), "{message}");
    assert!(message.contains("the learning rate 3.00e38 is too large"), "{message}");
    assert!(message.contains("from the end of epoch 3"), "{message}");
}

#[test]
fn unscaled_features_are_named_as_the_likely_cause() {
    // Features up to 1e29: the first update moves the first layer's weights by a large
    // share of that, and the next products overflow. (A ReLU layer passes them on, where
    // a saturated sigmoid would stop the gradient.)
    let mut data = digits();
    data.scale(1e29);
    let mut net = Rectified::random(&mut SeededRng::seed_from_u64(7));
    let mut sgd = GradientDescent::new(0.1);
    let mut trainer = Trainer::new(&data, 1).batch_size::<32>().epochs(5).quiet();
    let error = trainer.epoch(&mut net, &mut sgd).unwrap_err();
    let TrainError::Diverged(divergence) = &error else { panic!("{error}") };
    // `digits()` scaled the pixels to [0, 1] first.
    let largest = f64::from(1e29f32);
    assert_eq!(divergence.cause, LikelyCause::UnscaledFeatures { largest });
    assert!(error.to_string().contains("features as large as 1.00e29 in magnitude"), "{error}");
    assert!(net.all_finite());
}

#[test]
fn a_nan_validation_loss_ends_training() {
    let data = digits();
    let train = data.subset(&(0..256).collect::<Vec<_>>()).unwrap();
    let mut validation = data.subset(&(256..320).collect::<Vec<_>>()).unwrap();
    poison(&mut validation, 3, f32::NAN);
    let mut net = Small::random(&mut SeededRng::seed_from_u64(8));
    let mut trainer = Trainer::new(&train, 1).epochs(2).validation(&validation).quiet();
    let Err(TrainError::Diverged(divergence)) = trainer.epoch(&mut net, &mut Adam::new(0.01))
    else {
        panic!("a NaN validation feature must end training");
    };
    assert_eq!((divergence.epoch, divergence.batch), (1, None));
    assert!(matches!(divergence.found, NonFinite::ValidationLoss(loss) if loss.is_nan()));
}

#[test]
fn no_full_batch_is_an_error_not_a_loss_of_zero() {
    let data = digits();
    let mut net = Small::random(&mut SeededRng::seed_from_u64(9));
    let ten = data.subset(&(0..10).collect::<Vec<_>>()).unwrap();
    let mut trainer = Trainer::new(&ten, 1).batch_size::<32>().drop_last().quiet();
    let error = trainer.epoch(&mut net, &mut Adam::new(0.01)).unwrap_err();
    assert_eq!(error, TrainError::NoFullBatch { samples: 10, batch: 32 });
    assert!(
        error.to_string().starts_with("the training set's 10 samples do not fill one batch of 32")
    );
}
