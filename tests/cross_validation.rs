//! Stratified splits and folds keep the classes' proportions, cover every sample once and
//! refuse what `split` refuses; cross-validation scores each fold and averages them.
#![cfg(feature = "std")]

use ferroflow::data::{self, DataError, DataErrorKind, Dataset};
use ferroflow::prelude::*;
use ferroflow::train::{Scores, Trainer, cross_validate};
use ferroflow::{Rng, SeededRng};

/// The digits' labels with each sample's index as its one feature, so a sample can be
/// followed through splits.
fn tagged_digits() -> Dataset<f64, 1, 10> {
    let labels = data::digits::<f64>().labels().to_vec();
    Dataset::new((0..labels.len()).map(|i| [i as f64]).collect(), labels).unwrap()
}

fn indices(data: &Dataset<f64, 1, 10>) -> Vec<usize> {
    data.features().iter().map(|x| x[0] as usize).collect()
}

#[test]
fn a_stratified_split_keeps_each_classs_share() {
    let data = tagged_digits();
    let counts = data.class_counts();
    for fraction in [0.1, 0.2, 0.25, 0.5, 0.9] {
        let (train, test) =
            data.clone().stratified_split(fraction, &mut SeededRng::seed_from_u64(3)).unwrap();
        // As many test samples as `split` gives: round(1797 · fraction).
        assert_eq!(test.len(), (1797.0 * fraction).round() as usize, "{fraction}");
        for (c, (&n, &t)) in counts.iter().zip(&test.class_counts()).enumerate() {
            let share = n as f64 * fraction;
            assert!(
                t == share.floor() as usize || t == share.ceil() as usize,
                "fraction {fraction}, class {c}: {t} of {n} in the test set"
            );
        }
        // Every sample on exactly one side, with its own label.
        let mut all = [indices(&train), indices(&test)].concat();
        all.sort();
        assert_eq!(all, (0..1797).collect::<Vec<_>>());
        for side in [&train, &test] {
            for (x, &label) in side.features().iter().zip(side.labels()) {
                assert_eq!(label, data.labels()[x[0] as usize]);
            }
        }
    }
}

#[test]
fn the_largest_remainders_get_the_extra_samples() {
    // Classes of 5, 3 and 2 samples, half to the test set: 5 in all. Shares 2.5, 1.5, 1:
    // floors 2 + 1 + 1 = 4, one more to the largest remainder, 0.5 for classes 0 and 1,
    // the lower class first: 3, 1, 1.
    let labels = vec![0, 0, 0, 0, 0, 1, 1, 1, 2, 2];
    let data = Dataset::<f64, 1, 3>::new(vec![[0.0]; 10], labels).unwrap();
    let (train, test) = data.stratified_split(0.5, &mut SeededRng::seed_from_u64(1)).unwrap();
    assert_eq!(test.class_counts(), [3, 1, 1]);
    assert_eq!(train.class_counts(), [2, 2, 1]);
    // 7, 7 and 6 samples, 0.3 to the test set: round(6) = 6 in all. Shares 2.1, 2.1, 1.8:
    // floors 2 + 2 + 1 = 5, the one more to class 2 (remainder 0.8): 2, 2, 2.
    let labels = [vec![0; 7], vec![1; 7], vec![2; 6]].concat();
    let data = Dataset::<f64, 1, 3>::new(vec![[0.0]; 20], labels).unwrap();
    let (_, test) = data.stratified_split(0.3, &mut SeededRng::seed_from_u64(1)).unwrap();
    assert_eq!(test.class_counts(), [2, 2, 2]);
}

#[test]
fn a_stratified_split_is_seeded() {
    let data = tagged_digits();
    let split = |seed| data.clone().stratified_split(0.2, &mut SeededRng::seed_from_u64(seed));
    let (a, b, c) = (split(1).unwrap(), split(1).unwrap(), split(2).unwrap());
    assert_eq!(a, b);
    assert_ne!(indices(&a.1), indices(&c.1));
    // The test set is in shuffled order, classes mixed, not grouped as the digits are.
    let labels = a.1.labels();
    assert!(labels.windows(2).filter(|w| w[0] != w[1]).count() > 100);
}

#[test]
fn a_stratified_split_refuses_what_split_refuses_and_draws_nothing() {
    let data =
        Dataset::<f64, 1, 2>::new((0..10).map(|i| [i as f64]).collect(), [0, 1].repeat(5)).unwrap();
    for fraction in [0.0, 1.0, -0.5, 1.5, f64::NAN] {
        let mut rng = SeededRng::seed_from_u64(1);
        let error = data.clone().stratified_split(fraction, &mut rng).unwrap_err();
        assert!(matches!(error.kind, DataErrorKind::Fraction { .. }), "{fraction}: {error}");
        assert_eq!(rng.next_u64(), SeededRng::seed_from_u64(1).next_u64());
        let plain = data.clone().split(fraction, &mut SeededRng::seed_from_u64(1)).unwrap_err();
        assert_eq!(error.to_string(), plain.to_string());
    }
    // 0.01 of 10 samples rounds to none; 0.97 to all.
    for (fraction, first) in [(0.01, 10), (0.97, 0)] {
        let mut rng = SeededRng::seed_from_u64(1);
        let error = data.clone().stratified_split(fraction, &mut rng).unwrap_err();
        let DataErrorKind::EmptySplit { samples, first: found } = error.kind else {
            panic!("{error}")
        };
        assert_eq!((samples, found), (10, first));
        assert_eq!(rng.next_u64(), SeededRng::seed_from_u64(1).next_u64());
    }
}

#[test]
fn folds_are_stratified_disjoint_and_cover_every_sample() {
    let data = tagged_digits();
    let counts = data.class_counts();
    let folds = data.folds(5, &mut SeededRng::seed_from_u64(9)).unwrap();
    assert_eq!(folds.len(), 5);
    let mut validated = Vec::new();
    for (train, validation) in &folds {
        // Training and validation sides are disjoint and make up the whole set.
        let mut both = [indices(train), indices(validation)].concat();
        both.sort();
        assert_eq!(both, (0..1797).collect::<Vec<_>>());
        // 1797 / 5 = 359.4: 359 or 360 samples per fold.
        assert!((359..=360).contains(&validation.len()), "{}", validation.len());
        for (c, (&n, &v)) in counts.iter().zip(&validation.class_counts()).enumerate() {
            assert!(v == n / 5 || v == n.div_ceil(5), "class {c}: {v} of {n}");
        }
        validated.extend(indices(validation));
    }
    // Every sample in exactly one validation fold.
    validated.sort();
    assert_eq!(validated, (0..1797).collect::<Vec<_>>());
    // Seeded.
    assert_eq!(folds, data.folds(5, &mut SeededRng::seed_from_u64(9)).unwrap());
    assert_ne!(folds, data.folds(5, &mut SeededRng::seed_from_u64(10)).unwrap());
}

#[test]
fn folds_need_two_to_n_folds() {
    let data =
        Dataset::<f64, 1, 2>::new((0..4).map(|i| [i as f64]).collect(), vec![0, 1, 0, 1]).unwrap();
    for (k, first) in [(0, 0), (1, 0), (5, 4)] {
        let mut rng = SeededRng::seed_from_u64(1);
        let error = data.folds(k, &mut rng).unwrap_err();
        let DataErrorKind::EmptySplit { samples, first: found } = error.kind else {
            panic!("{error}")
        };
        assert_eq!((samples, found), (4, first), "k = {k}");
        assert_eq!(rng.next_u64(), SeededRng::seed_from_u64(1).next_u64());
    }
    // Leave-one-out.
    let folds = data.folds(4, &mut SeededRng::seed_from_u64(1)).unwrap();
    assert!(folds.iter().all(|(train, validation)| train.len() == 3 && validation.len() == 1));
}

network! {
    struct Linear<f64> { input: 64, output: Perceptron<10, Softmax> }
}

#[test]
fn five_fold_cross_validation_on_the_digits() {
    let mut digits = data::digits::<f64>();
    digits.scale(1.0 / 16.0);
    let mut seen = Vec::new();
    let result = cross_validate(&digits, 5, 21, |train, validation| {
        seen.push((train.len(), validation.len(), validation.class_counts()));
        let mut net = Linear::random(&mut SeededRng::seed_from_u64(2));
        let mut adam = Adam::new(0.01);
        let mut trainer = Trainer::new(train, 3).epochs(2).quiet();
        while trainer.epoch(&mut net, &mut adam)?.is_some() {}
        Ok::<_, Box<dyn std::error::Error>>(validation.evaluate(&net).scores())
    })
    .unwrap();
    // The closure saw the folds of `Dataset::folds` with the same seed, in order.
    let folds = digits.folds(5, &mut SeededRng::seed_from_u64(21)).unwrap();
    let expected: Vec<_> =
        folds.iter().map(|(t, v)| (t.len(), v.len(), v.class_counts())).collect();
    assert_eq!(seen, expected);
    assert_eq!(result.folds.len(), 5);
    // The mean is the plain mean of the folds.
    let mean = |f: fn(&Scores) -> f64| result.folds.iter().map(f).sum::<f64>() / 5.0;
    assert_eq!(result.mean.loss, mean(|s| s.loss));
    assert_eq!(result.mean.accuracy, mean(|s| s.accuracy));
    assert_eq!(result.mean.macro_precision, mean(|s| s.macro_precision));
    assert_eq!(result.mean.macro_recall, mean(|s| s.macro_recall));
    assert_eq!(result.mean.macro_f1, mean(|s| s.macro_f1));
    assert_eq!(result.mean.weighted_f1, mean(|s| s.weighted_f1));
    // Two epochs of a linear softmax learn the digits, on every fold.
    for scores in &result.folds {
        assert!(scores.accuracy > 0.85 && scores.macro_f1 > 0.85, "{scores:?}");
        assert!(scores.loss < 1.0, "{scores:?}");
    }
    let table = result.to_string();
    assert_eq!(table.lines().count(), 7, "{table}");
    assert!(table.lines().last().unwrap().trim_start().starts_with("mean"), "{table}");
}

#[test]
fn cross_validation_stops_at_the_first_error() {
    let digits = data::digits::<f64>();
    let mut calls = 0;
    let result: Result<_, TestError> = cross_validate(&digits, 4, 1, |_, validation| {
        calls += 1;
        if calls == 2 {
            Err(TestError(format!("fold {calls} failed")))
        } else {
            Ok(scores_of(validation))
        }
    });
    assert_eq!(result.unwrap_err().0, "fold 2 failed");
    assert_eq!(calls, 2);
    // The folds' own errors come through `From<DataError>`.
    let error = cross_validate(&digits, 1, 1, |_, v| Ok::<_, TestError>(scores_of(v))).unwrap_err();
    assert!(error.0.contains("expected a split leaving samples on both sides"), "{}", error.0);
}

fn scores_of(data: &Dataset<f64, 64, 10>) -> Scores {
    data.evaluate(&Linear::zeros()).scores()
}

/// An error type for the test: a message (`String` has no `From<DataError>`).
#[derive(Debug)]
struct TestError(String);

impl From<DataError> for TestError {
    fn from(error: DataError) -> Self {
        Self(error.to_string())
    }
}
