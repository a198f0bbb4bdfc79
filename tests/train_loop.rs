//! The training loop: reruns from a seed are bit-identical, early stopping restores the
//! best epoch, schedules set each epoch's rate, and every sample counts once.
#![cfg(feature = "std")]

use ferroflow::data::{self, Dataset};
use ferroflow::io::safetensors;
use ferroflow::optim::schedule::StepDecay;
use ferroflow::prelude::*;
use ferroflow::train::{EarlyStopping, Stop, Trainer};

network! {
    struct Small<f64> {
        input: 64,
        hidden: Perceptron<16, Sigmoid>,
        output: Perceptron<10, Softmax>,
    }
}

fn digits() -> (Dataset<f64, 64, 10>, Dataset<f64, 64, 10>) {
    let mut data = data::digits::<f64>();
    data.scale(1.0 / 16.0);
    data.split(0.25, &mut SeededRng::seed_from_u64(1)).unwrap()
}

fn train(seed: u64, epochs: usize) -> Vec<u8> {
    let (train, validation) = digits();
    let mut net = Small::random(&mut SeededRng::seed_from_u64(2));
    let mut adam = Adam::new(0.01);
    let mut trainer = Trainer::new(&train, seed)
        .batch_size::<20>()
        .epochs(epochs)
        .validation(&validation)
        .quiet();
    while trainer.epoch(&mut net, &mut adam).unwrap().is_some() {}
    safetensors::to_bytes(&net, &[])
}

#[test]
fn the_same_seed_gives_bit_identical_weights() {
    let first = train(7, 3);
    assert_eq!(first, train(7, 3));
    assert_ne!(first, train(8, 3));
}

#[test]
fn early_stopping_ends_at_patience_and_restores_the_best_epoch() {
    let (train, mut validation) = digits();
    // Validation labels shifted by one: the better the network learns the training set,
    // the worse its validation loss, so the best epoch comes early.
    validation = Dataset::new(
        validation.features().to_vec(),
        validation.labels().iter().map(|l| (l + 1) % 10).collect(),
    )
    .unwrap();
    let mut net = Small::random(&mut SeededRng::seed_from_u64(3));
    let mut adam = Adam::new(0.01);
    let mut trainer = Trainer::new(&train, 1)
        .batch_size::<32>()
        .epochs(50)
        .validation(&validation)
        .early_stopping(EarlyStopping::new(3))
        .quiet();
    let mut reports = Vec::new();
    while let Some(report) = trainer.epoch(&mut net, &mut adam).unwrap() {
        reports.push(report);
    }
    assert!(
        trainer.epoch(&mut net, &mut adam).unwrap().is_none(),
        "a finished trainer stays finished"
    );
    let last = reports.last().unwrap();
    let Some(Stop::EarlyStopping { best_epoch }) = last.stop else { panic!("{last:?}") };
    assert!(reports.len() < 50);
    // Three epochs in a row without a new best, and then the stop.
    assert_eq!(reports.len(), best_epoch + 3);
    assert!(reports[best_epoch..].iter().all(|r| !r.improved));
    let losses: Vec<f64> = reports.iter().map(|r| r.validation.unwrap().loss).collect();
    let best = losses.iter().copied().fold(f64::INFINITY, f64::min);
    assert_eq!(losses[best_epoch - 1], best);
    // The network holds the best epoch's weights: its validation loss is the best one.
    assert_eq!(validation.evaluate_in_batches::<32>(&net).loss, best);
}

#[test]
fn a_schedule_sets_each_epochs_rate() {
    let (train, _) = digits();
    let mut net = Small::random(&mut SeededRng::seed_from_u64(4));
    let mut sgd = GradientDescent::new(1.0);
    let mut trainer = Trainer::new(&train, 1)
        .batch_size::<64>()
        .epochs(5)
        .schedule(StepDecay { every: 2, factor: 0.5 });
    // Not quiet: the progress bar runs (and hides itself, standard error not being a
    // terminal here).
    let mut rates = Vec::new();
    while let Some(report) = trainer.epoch(&mut net, &mut sgd).unwrap() {
        rates.push(report.learning_rate);
        assert_eq!(report.stop.is_some(), report.epoch == 5);
    }
    assert_eq!(rates, [1.0, 1.0, 0.5, 0.5, 0.25]);
    assert_eq!(trainer.completed(), 5);
}

#[test]
fn every_sample_counts_once_in_the_training_accuracy() {
    // 1797 · 3/4 = 1348 training samples, batches of 100: the last batch wraps around.
    let (train, _) = digits();
    assert_eq!(train.len() % 100, 48);
    // All-zero weights and a zero rate: every output is uniform, every sample is class 0.
    let mut net = Small::zeros();
    let mut frozen = GradientDescent::new(0.0);
    let mut trainer = Trainer::new(&train, 1).batch_size::<100>().epochs(1).quiet();
    let report = trainer.epoch(&mut net, &mut frozen).unwrap().unwrap();
    let zeros = train.class_counts()[0];
    assert_eq!(report.train.accuracy, zeros as f64 / train.len() as f64);
    assert!((report.train.loss - 10f64.ln()).abs() < 1e-12);
}

#[test]
fn drop_last_leaves_the_short_batch_out() {
    let (train, _) = digits();
    let mut net = Small::random(&mut SeededRng::seed_from_u64(5));
    let mut adam = Adam::new(0.01);
    let mut trainer = Trainer::new(&train, 1).batch_size::<100>().epochs(2).drop_last().quiet();
    while trainer.epoch(&mut net, &mut adam).unwrap().is_some() {}
    assert_eq!(adam.steps(), 2 * 13);
    let mut wrapped = Adam::new(0.01);
    let mut trainer = Trainer::new(&train, 1).batch_size::<100>().epochs(2).quiet();
    while trainer.epoch(&mut net, &mut wrapped).unwrap().is_some() {}
    assert_eq!(wrapped.steps(), 2 * 14);
}

#[test]
fn evaluation_counts_every_sample_once_whatever_the_batch_size() {
    let (_, test) = digits();
    let net = Small::random(&mut SeededRng::seed_from_u64(6));
    let one = test.evaluate_in_batches::<1>(&net);
    for evaluation in [
        test.evaluate_in_batches::<7>(&net),
        test.evaluate(&net),
        test.evaluate_in_batches::<500>(&net),
    ] {
        assert!((evaluation.loss - one.loss).abs() < 1e-12, "{} vs {}", evaluation.loss, one.loss);
        assert_eq!((evaluation.correct, evaluation.samples), (one.correct, one.samples));
        assert_eq!(evaluation.confusion, one.confusion);
    }
    assert_eq!(one.confusion.counts.iter().flatten().sum::<usize>(), test.len());
    let rows: Vec<usize> = one.confusion.counts.iter().map(|r| r.iter().sum()).collect();
    assert_eq!(rows, test.class_counts());
}
