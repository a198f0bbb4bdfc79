//! Data sets in memory: construction, seeded shuffles and splits, normalisation and
//! mini-batches with every treatment of the last batch.
#![cfg(feature = "std")]

use ferroflow::data::{
    Batch, DataErrorKind, Dataset, LastBatch, Location, MinMax, Standardise, permutation,
};
use ferroflow::{SeedableRng, SeededRng};

/// Ten samples whose single feature is their index, labelled by parity.
fn ten() -> Dataset<f64, 1, 2> {
    Dataset::new((0..10).map(|i| [i as f64]).collect(), (0..10).map(|i| i % 2).collect()).unwrap()
}

fn ids<const B: usize>(batch: &Batch<f64, B, 1, 2>) -> Vec<usize> {
    (0..B).map(|r| batch.inputs[(r, 0)] as usize).collect()
}

#[test]
fn new_checks_lengths_and_labels() {
    let error = Dataset::<f32, 1, 2>::new(vec![[0.0]; 3], vec![0, 1]).unwrap_err();
    assert!(matches!(error.kind, DataErrorKind::Shape { what: "labels", .. }));
    let error = Dataset::<f32, 1, 2>::new(vec![[0.0]; 3], vec![0, 1, 2]).unwrap_err();
    assert!(matches!(error.kind, DataErrorKind::LabelOutOfRange { classes: 2, .. }));
    assert_eq!(error.location, Location::Sample(2));
}

#[test]
fn permutations_are_seeded_and_complete() {
    let a = permutation(1000, &mut SeededRng::seed_from_u64(3));
    assert_eq!(a, permutation(1000, &mut SeededRng::seed_from_u64(3)));
    assert_ne!(a, permutation(1000, &mut SeededRng::seed_from_u64(4)));
    let mut sorted = a.clone();
    sorted.sort();
    assert_eq!(sorted, (0..1000).collect::<Vec<_>>());
    // Every position is equally likely to hold any value: over 4000 shuffles of 4 items,
    // each of the 16 (position, value) pairs occurs about 1000 times.
    let mut rng = SeededRng::seed_from_u64(5);
    let mut counts = [[0u32; 4]; 4];
    for _ in 0..4000 {
        for (position, value) in permutation(4, &mut rng).into_iter().enumerate() {
            counts[position][value] += 1;
        }
    }
    // A binomial(4000, 1/4) count has σ ≈ 27: 5σ either side.
    assert!(counts.iter().flatten().all(|&n| (865..=1135).contains(&n)), "{counts:?}");
}

#[test]
fn a_split_is_a_seeded_partition() {
    let (train, test) = ten().split(0.3, &mut SeededRng::seed_from_u64(9)).unwrap();
    assert_eq!((train.len(), test.len()), (7, 3));
    let mut all: Vec<usize> =
        train.features().iter().chain(test.features()).map(|x| x[0] as usize).collect();
    all.sort();
    assert_eq!(all, (0..10).collect::<Vec<_>>());
    // Labels travel with their samples.
    for data in [&train, &test] {
        assert!(data.features().iter().zip(data.labels()).all(|(x, &l)| x[0] as usize % 2 == l));
    }
    let (again, _) = ten().split(0.3, &mut SeededRng::seed_from_u64(9)).unwrap();
    assert_eq!(train, again);
    let (other, _) = ten().split(0.3, &mut SeededRng::seed_from_u64(10)).unwrap();
    assert_ne!(train, other);
    let (first, rest) = ten().split_at(4).unwrap();
    assert_eq!((first.len(), rest.len(), rest.sample(0).0[0]), (4, 6, 4.0));
}

#[test]
fn padded_batches_cover_every_sample_once_and_mark_the_padding() {
    let data = ten();
    let batches: Vec<_> = data.batches::<4>(LastBatch::Pad).collect();
    assert_eq!(batches.len(), 3);
    assert_eq!(batches.iter().map(|b| b.len).collect::<Vec<_>>(), [4, 4, 2]);
    assert_eq!(ids(&batches[0]), [0, 1, 2, 3]);
    assert_eq!(ids(&batches[2]), [8, 9, 0, 0]);
    let last = &batches[2];
    // Padding rows are zero in the labels too, and do not count as correct.
    assert_eq!(last.labels.row(2).sum() + last.labels.row(3).sum(), 0.0);
    assert_eq!(last.classes, [0, 1, 0, 0]);
    assert_eq!(last.correct(&[0, 1, 0, 0]), 2);
    assert_eq!(last.correct(&[1, 1, 0, 0]), 1);
    // One-hot labels match the classes.
    for batch in &batches {
        for r in 0..batch.len {
            let class = batch.classes[r];
            assert_eq!(batch.labels[(r, class)], 1.0);
            assert_eq!(batch.labels[(r, 1 - class)], 0.0);
        }
    }
}

#[test]
fn dropped_and_wrapped_last_batches() {
    let data = ten();
    let dropped = data.batches::<4>(LastBatch::Drop);
    assert_eq!(dropped.len(), 2);
    assert_eq!(dropped.map(|b| ids(&b)).collect::<Vec<_>>(), [[0, 1, 2, 3], [4, 5, 6, 7]]);

    let wrapped: Vec<_> = data.batches::<4>(LastBatch::Wrap).collect();
    assert_eq!(wrapped.len(), 3);
    assert_eq!(ids(&wrapped[2]), [8, 9, 0, 1]);
    assert_eq!(wrapped[2].len, 4);
    assert_eq!(wrapped[2].classes, [0, 1, 0, 1]);

    // A batch larger than the data set goes round it.
    let small = Dataset::<f64, 1, 2>::new(vec![[0.0], [1.0], [2.0]], vec![0, 1, 0]).unwrap();
    let round: Vec<_> = small.batches::<8>(LastBatch::Wrap).map(|b| ids(&b)).collect();
    assert_eq!(round, [[0, 1, 2, 0, 1, 2, 0, 1]]);
    assert_eq!(small.batches::<8>(LastBatch::Drop).count(), 0);
    // A size that divides the data leaves nothing over, whatever the policy.
    for last in [LastBatch::Wrap, LastBatch::Drop, LastBatch::Pad] {
        assert!(data.batches::<5>(last).all(|b| b.len == 5));
        assert_eq!(data.batches::<5>(last).len(), 2);
    }
}

#[test]
fn shuffled_batches_follow_the_seeded_order() {
    let data = ten();
    let mut rng = SeededRng::seed_from_u64(1);
    let batches = data.shuffled_batches::<3, _>(&mut rng, LastBatch::Pad);
    let order = batches.order().to_vec();
    assert_eq!(order, permutation(10, &mut SeededRng::seed_from_u64(1)));
    let seen: Vec<usize> = batches.flat_map(|b| ids(&b)[..b.len].to_vec()).collect();
    assert_eq!(seen, order);
    // The next epoch draws a new order from the same RNG.
    let next = data.shuffled_batches::<3, _>(&mut rng, LastBatch::Pad);
    assert_ne!(next.order(), &order[..]);
}

#[test]
fn batch_matrices_hold_samples_in_rows() {
    let data =
        Dataset::<f32, 3, 4>::new(vec![[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], vec![3, 0]).unwrap();
    let batch = data.batches::<2>(LastBatch::Pad).next().unwrap();
    let expected: ferroflow::Matrix<f32, 2, 3> =
        ferroflow::matrix::from_rows([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]);
    assert_eq!(batch.inputs, expected);
    let labels: ferroflow::Matrix<f32, 2, 4> =
        ferroflow::matrix::from_rows([[0.0, 0.0, 0.0, 1.0], [1.0, 0.0, 0.0, 0.0]]);
    assert_eq!(batch.labels, labels);
}

#[test]
fn min_max_scales_with_training_statistics() {
    let mut train =
        Dataset::<f64, 2, 2>::new(vec![[2.0, 7.0], [4.0, 7.0], [6.0, 7.0]], vec![0, 1, 0]).unwrap();
    let mut test = Dataset::<f64, 2, 2>::new(vec![[8.0, 1.0]], vec![1]).unwrap();
    let scaling = MinMax::fit(&train);
    assert_eq!((scaling.min, scaling.max), ([2.0, 7.0], [6.0, 7.0]));
    scaling.apply(&mut train);
    scaling.apply(&mut test);
    assert_eq!(train.features(), [[0.0, 0.0], [0.5, 0.0], [1.0, 0.0]]);
    // Test values outside the training range stay outside [0, 1]: nothing is clipped.
    assert_eq!(test.features(), [[1.5, 0.0]]);
}

#[test]
fn standardise_gives_zero_mean_and_unit_deviation() {
    let mut train = ferroflow::data::digits::<f64>();
    let standardise = Standardise::fit(&train);
    standardise.apply(&mut train);
    let n = train.len() as f64;
    for j in 0..64 {
        let mean = train.features().iter().map(|x| x[j]).sum::<f64>() / n;
        let variance = train.features().iter().map(|x| (x[j] - mean).powi(2)).sum::<f64>() / n;
        assert!(mean.abs() < 1e-12, "feature {j}: mean {mean}");
        // Pixel 0 is blank in every digit: constant features are only centred.
        let expected = if standardise.std[j] > 0.0 { 1.0 } else { 0.0 };
        assert!((variance - expected).abs() < 1e-9, "feature {j}: variance {variance}");
    }
    assert_eq!(standardise.std[0], 0.0);
}

#[test]
fn scale_multiplies_every_feature() {
    let mut data = ferroflow::data::digits::<f32>();
    data.scale(1.0 / 16.0);
    let max = data.features().iter().flatten().fold(0.0f32, |m, &v| m.max(v));
    assert_eq!(max, 1.0);
}

#[test]
fn an_empty_data_set_is_an_error_on_every_path() {
    let error = Dataset::<f32, 2, 2>::new(vec![], vec![]).unwrap_err();
    assert!(matches!(error.kind, DataErrorKind::Empty));
    assert_eq!(error.to_string(), "<memory>: expected at least one sample, found none");
    assert!(matches!(ten().subset(&[]).unwrap_err().kind, DataErrorKind::Empty));
    assert_eq!(ten().subset(&[3, 3]).unwrap().features(), [[3.0], [3.0]]);
    for (n, first) in [(0, 0), (10, 10), (11, 10)] {
        let error = ten().split_at(n).unwrap_err();
        assert!(
            matches!(error.kind, DataErrorKind::EmptySplit { samples: 10, first: f } if f == first),
            "{n}: {error:?}"
        );
    }
    assert_eq!(
        ten().split_at(0).unwrap_err().to_string(),
        "<memory>: expected a split leaving samples on both sides, found 0 and 10 of 10 samples"
    );
}

#[test]
fn non_finite_features_are_refused_naming_sample_and_feature() {
    let error = Dataset::<f32, 3, 2>::new(vec![[0.0, 1.0, 2.0], [0.0, f32::NAN, 1.0]], vec![0, 1])
        .unwrap_err();
    assert!(matches!(&error.kind, DataErrorKind::NotANumber { found } if found == "NaN"));
    assert_eq!(error.location, Location::Feature { sample: 1, feature: 1 });
    assert_eq!(
        error.to_string(),
        "<memory>: sample 1, feature 1: expected a finite number, found \"NaN\""
    );
    let error = Dataset::<f64, 2, 2>::new(vec![[f64::NEG_INFINITY, 0.0]], vec![0]).unwrap_err();
    assert!(matches!(&error.kind, DataErrorKind::NotANumber { found } if found == "-inf"));
    assert_eq!(error.location, Location::Feature { sample: 0, feature: 0 });
}

#[test]
fn a_split_needs_a_fraction_strictly_between_0_and_1_and_samples_on_both_sides() {
    for fraction in [f64::NAN, -0.1, 0.0, 1.0, 1.5, f64::INFINITY] {
        let error = ten().split(fraction, &mut SeededRng::seed_from_u64(1)).unwrap_err();
        match error.kind {
            DataErrorKind::Fraction { found } => {
                assert!(found == fraction || found.is_nan() && fraction.is_nan(), "{found}")
            }
            other => panic!("{fraction}: expected Fraction, found {other:?}"),
        }
    }
    let error = ten().split(1.5, &mut SeededRng::seed_from_u64(1)).unwrap_err();
    assert_eq!(
        error.to_string(),
        "<memory>: expected a test fraction strictly between 0 and 1, found 1.5"
    );
    // 0.01 of 10 samples rounds to no test sample, 0.99 to no training sample.
    let error = ten().split(0.01, &mut SeededRng::seed_from_u64(1)).unwrap_err();
    assert!(matches!(error.kind, DataErrorKind::EmptySplit { samples: 10, first: 10 }));
    let error = ten().split(0.99, &mut SeededRng::seed_from_u64(1)).unwrap_err();
    assert!(matches!(error.kind, DataErrorKind::EmptySplit { samples: 10, first: 0 }));
    // A refused split draws nothing from the generator.
    let mut rng = SeededRng::seed_from_u64(1);
    assert!(ten().split(0.0, &mut rng).is_err());
    assert_eq!(permutation(10, &mut rng), permutation(10, &mut SeededRng::seed_from_u64(1)));
    // 0.05 of 10 is half a sample, rounded to one.
    let (train, test) = ten().split(0.05, &mut SeededRng::seed_from_u64(1)).unwrap();
    assert_eq!((train.len(), test.len()), (9, 1));
    let one = Dataset::<f32, 1, 2>::new(vec![[1.0]], vec![0]).unwrap();
    assert!(matches!(
        one.split(0.5, &mut SeededRng::seed_from_u64(1)).unwrap_err().kind,
        DataErrorKind::EmptySplit { samples: 1, .. }
    ));
}

#[test]
fn standardise_only_centres_a_feature_whose_deviation_is_round_off() {
    // Feature 0: 0.1 in every sample, whose f64 sum is not 1000 × 0.1 exactly: a mean off
    // by an ulp once gave a deviation of 7e-17 and outputs of −1. Feature 1: 1e8 give or
    // take an ulp or two. Feature 2: 1 and 3, mean 2, deviation 1 exactly.
    let ulp = 1e8f64.next_up() - 1e8;
    let features: Vec<[f64; 3]> = (0..1000)
        .map(|i| [0.1, 1e8 + (i % 3) as f64 * ulp, if i % 2 == 0 { 1.0 } else { 3.0 }])
        .collect();
    let mut data = Dataset::<f64, 3, 2>::new(features, vec![0; 1000]).unwrap();
    let standardise = Standardise::fit(&data);
    assert_eq!(standardise.std[0], 0.0);
    assert_eq!(standardise.std[1], 0.0);
    assert_eq!((standardise.mean[2], standardise.std[2]), (2.0, 1.0));
    standardise.apply(&mut data);
    for (i, x) in data.features().iter().enumerate() {
        assert!(x[0].abs() < 1e-15, "sample {i}: {x:?}");
        assert!(x[1].abs() <= 2.0 * ulp, "sample {i}: {x:?}");
        assert_eq!(x[2], if i % 2 == 0 { -1.0 } else { 1.0 });
    }
    // In f32, 1e8 and 1e8 + 8 are neighbours: their spread is rounding, not signal.
    let mut data =
        Dataset::<f32, 2, 2>::new(vec![[0.1, 1e8], [0.1, 1e8 + 8.0]], vec![0, 1]).unwrap();
    let standardise = Standardise::fit(&data);
    assert_eq!(standardise.std, [0.0, 0.0]);
    standardise.apply(&mut data);
    // Only centred, on the mean 1e8 + 4 rounded to f32 (1e8, ties to even): never divided.
    assert_eq!(standardise.mean, [0.1, 1e8]);
    assert_eq!(data.features(), [[0.0, 0.0], [0.0, 8.0]]);
}

#[test]
fn min_max_maps_a_round_off_range_to_zero_and_cannot_overflow() {
    let mut data =
        Dataset::<f32, 2, 2>::new(vec![[1e8, -3e38], [1e8 + 8.0, 3e38], [1e8, 0.0]], vec![0, 1, 0])
            .unwrap();
    let scaling = MinMax::fit(&data);
    scaling.apply(&mut data);
    // The range 6e38 overflows f32 (and x − min with it): taken in f64, it does not.
    assert_eq!(data.features(), [[0.0, 0.0], [0.0, 1.0], [0.0, 0.5]]);
}

#[test]
fn class_names_are_checked_and_kept_by_splits() {
    let data =
        Dataset::<f32, 1, 3>::new(vec![[0.0], [1.0], [2.0], [3.0]], vec![0, 1, 0, 1]).unwrap();
    assert_eq!(data.class_names(), None);
    assert_eq!(data.class_name(0), None);
    let names = || vec!["cat".to_owned(), "dog".to_owned()];
    let named = data.clone().with_class_names(names()).unwrap();
    assert_eq!(named.class_name(1), Some("dog"));
    let mut rng = SeededRng::seed_from_u64(3);
    let (train, test) = named.clone().split(0.5, &mut rng).unwrap();
    assert_eq!(
        (train.class_names(), test.class_names()),
        (named.class_names(), named.class_names())
    );
    // A label without a name, a name twice, more names than K.
    let error = data.clone().with_class_names(vec!["cat".into()]).unwrap_err();
    assert!(matches!(error.kind, DataErrorKind::LabelOutOfRange { classes: 1, .. }), "{error}");
    assert_eq!(error.location, Location::Sample(1));
    let error = data.clone().with_class_names(vec!["a".into(), "a".into()]).unwrap_err();
    assert_eq!(error.to_string(), "<memory>: expected distinct class names, found \"a\" twice");
    let four = ["a", "b", "c", "d"].map(String::from).to_vec();
    let error = data.with_class_names(four).unwrap_err();
    assert_eq!(
        error.to_string(),
        "<memory>: expected at most 3 classes, found 4: \"a\", \"b\", \"c\", \"d\""
    );
}

/// The features of a batch start on a cache line wherever it lives, so that the first
/// layer's vector loads do not straddle two (see `Batch`'s doc).
#[test]
fn batches_keep_their_features_on_a_cache_line() {
    use ferroflow::data::RegressionBatch;
    let line = |p: *const f32| p as usize % 64;
    for _ in 0..4 {
        let boxed = Box::new(Batch::<f32, 64, 784, 10>::zeros());
        assert_eq!(line(boxed.inputs.as_ptr()), 0, "boxed");
        let boxed = Box::new(RegressionBatch::<f32, 8, 13, 1>::zeros());
        assert_eq!(line(boxed.inputs.as_ptr()), 0, "boxed regression batch");
    }
    let on_stack = Batch::<f32, 2, 3, 2>::zeros();
    assert_eq!(line(on_stack.inputs.as_ptr()), 0, "on the stack");
}
