//! Regression sets: numeric targets read from CSV files through the shared reader, split
//! and batched, evaluated by MSE, MAE and R², and a network trained on them with a plain
//! loop of `train_step`.
#![cfg(feature = "std")]

use ferroflow::data::{
    Column, CsvOptions, CsvReport, DataError, DataErrorKind, Dataset, LabelColumn, LastBatch,
    Location, Missing, RegressionSet, Standardise,
};
use ferroflow::prelude::*;
use rand::RngExt;

fn read<const N: usize, const M: usize>(
    text: &str,
    options: CsvOptions,
) -> Result<RegressionSet<f64, N, M>, DataError> {
    RegressionSet::from_csv_reader("test.csv", text.as_bytes(), options)
}

/// The options of the synthetic file: target `y`, `id` and `name` ignored.
fn synthetic_options() -> CsvOptions {
    CsvOptions {
        label: LabelColumn::Name("y".into()),
        ignore: vec![Column::Name("id".into()), Column::Name("name".into())],
        ..CsvOptions::default()
    }
}

/// `rows` lines of y = 3·x₁ − 2·x₂ + 1 + noise (uniform in ±0.05), x in [−5, 5], with an
/// id column and a text column between the features.
fn synthetic_csv(rows: usize, seed: u64) -> String {
    let mut rng = SeededRng::seed_from_u64(seed);
    let mut uniform = move || rng.random_range(0.0..1.0);
    let mut text = String::from("id,x1,name,x2,y\n");
    for i in 0..rows {
        let (x1, x2) = (10.0 * uniform() - 5.0, 10.0 * uniform() - 5.0);
        let noise = 0.1 * uniform() - 0.05;
        let y = 3.0 * x1 - 2.0 * x2 + 1.0 + noise;
        text.push_str(&format!("{i},{x1},\"item {i}, kind {}\",{x2},{y}\n", i % 3));
    }
    text
}

network! {
    /// Two inputs, a tanh layer, one linear output, squared error.
    #[loss(MeanSquaredError)]
    struct Fit<f64> {
        input: 2,
        hidden: Perceptron<8, Tanh>,
        output: Perceptron<1, Identity>,
    }
}

#[test]
fn a_network_learns_a_linear_target_from_csv_to_r2_above_0_99() {
    let text = synthetic_csv(400, 3);
    let data = read::<2, 1>(&text, synthetic_options()).unwrap();
    assert_eq!(data.len(), 400);
    let mut rng = SeededRng::seed_from_u64(11);
    let (train, test) = data.split(0.2, &mut rng).unwrap();
    assert_eq!((train.len(), test.len()), (320, 80));

    let scaling = train.standardise().scaling();
    let mut model = Preprocessed::new(scaling, Fit::random(&mut rng));
    let before = test.evaluate(&model);
    assert!(before.r2 < 0.9, "untrained R² already {}", before.r2);
    let mut adam = Adam::new(0.01);
    for _ in 0..150 {
        for batch in train.shuffled_batches::<16, _>(&mut rng, LastBatch::Wrap) {
            let loss = model.train_step(&batch.inputs, &batch.targets, &mut adam);
            assert!(loss.is_finite());
        }
    }
    let after = test.evaluate(&model);
    assert_eq!(after.samples, 80);
    assert!(after.r2 > 0.99, "held-out R² {} (MSE {}, MAE {})", after.r2, after.mse, after.mae);
    assert!(after.mse < before.mse / 100.0, "MSE {} → {}", before.mse, after.mse);
    // The noise is ±0.05: a fit of the line errs by well under 1 on average.
    assert!(after.mae < 0.5, "MAE {}", after.mae);
    // On a raw sample: 3·1 − 2·2 + 1 = 0.
    let prediction: [f64; 1] = model.predict(&[1.0, 2.0]);
    assert!(prediction[0].abs() < 0.5, "predicted {prediction:?} for 0");
}

network! {
    /// y = w·x + b, one input, two outputs.
    struct Line<f64> {
        input: 1,
        output: Perceptron<2, Identity>,
    }
}

/// A line whose every weight and bias is 1: both outputs are x + 1.
fn ones() -> Line {
    let mut net = Line::random(&mut SeededRng::seed_from_u64(0));
    net.for_each_param_mut(&mut |_, values| values.fill(1.0));
    net
}

#[test]
fn evaluation_matches_a_hand_computation() {
    // Outputs 1, 2, 3, 4 for the targets 1, 2.5, 2, 5 (first output) and 1, 2, 3, 4 (the
    // second, exact): errors 0, −0.5, 1, −1 and 0 × 4.
    let data = RegressionSet::<f64, 1, 2>::new(
        vec![[0.0], [1.0], [2.0], [3.0]],
        vec![[1.0, 1.0], [2.5, 2.0], [2.0, 3.0], [5.0, 4.0]],
    )
    .unwrap();
    let e = data.evaluate(&ones());
    assert_eq!(e.samples, 4);
    // SSE = 0.25 + 1 + 1 = 2.25 over 8 values; |errors| sum to 2.5.
    assert!((e.mse - 2.25 / 8.0).abs() < 1e-15, "{e:?}");
    assert!((e.mae - 2.5 / 8.0).abs() < 1e-15, "{e:?}");
    // Means 2.625 and 2.5: SST = 8.6875 + 5.
    assert!((e.r2 - (1.0 - 2.25 / 13.6875)).abs() < 1e-15, "{e:?}");
}

#[test]
fn evaluation_counts_every_sample_once_across_batches() {
    // 100 samples, more than one evaluation batch with a padded last one: the first output
    // is exact, the second off by ±0.5.
    let features: Vec<[f64; 1]> = (0..100).map(|i| [f64::from(i)]).collect();
    let targets: Vec<[f64; 2]> = (0..100)
        .map(|i| {
            let sign = if i % 2 == 0 { 1.0 } else { -1.0 };
            [f64::from(i) + 1.0, f64::from(i) + 1.0 + 0.5 * sign]
        })
        .collect();
    let data = RegressionSet::<f64, 1, 2>::new(features, targets).unwrap();
    let e = data.evaluate(&ones());
    assert_eq!(e.samples, 100);
    assert!((e.mse - 25.0 / 200.0).abs() < 1e-12, "{e:?}");
    assert!((e.mae - 50.0 / 200.0).abs() < 1e-12, "{e:?}");
    // Targets k = 1..=100 have SST = n(n² − 1)/12 = 83325. The second target's ±0.5
    // alternate, so its mean is the same 50.5, and each squared deviation
    // (k − 50.5 ± 0.5)² is (k − 50.5)² ± (k − 50.5) + 0.25: 83325 + 25 + Σ±(k − 50.5),
    // where Σ±(k − 50.5) = (1 − 2) + (3 − 4) + … = −50.
    let alternating: f64 =
        (0..100).map(|i| if i % 2 == 0 { 1.0 } else { -1.0 } * (f64::from(i) + 1.0 - 50.5)).sum();
    assert_eq!(alternating, -50.0);
    let sst = 83325.0 + (83325.0 + 25.0 + alternating);
    assert!((e.r2 - (1.0 - 25.0 / sst)).abs() < 1e-12, "{e:?}");
}

#[test]
fn r2_of_constant_targets_is_1_when_exact_and_minus_infinity_otherwise() {
    let exact = RegressionSet::<f64, 1, 2>::new(vec![[1.0]; 3], vec![[2.0, 2.0]; 3]).unwrap();
    assert_eq!(exact.evaluate(&ones()).r2, 1.0);
    let off = RegressionSet::<f64, 1, 2>::new(vec![[1.0]; 3], vec![[2.0, 3.0]; 3]).unwrap();
    assert_eq!(off.evaluate(&ones()).r2, f64::NEG_INFINITY);
}

#[test]
fn the_target_is_the_label_column_by_name_or_index_or_the_columns_listed() {
    let text = "a,y,b\n1,10,2\n3,30,4\n";
    let by_name = CsvOptions { label: LabelColumn::Name("y".into()), ..CsvOptions::default() };
    let data = read::<2, 1>(text, by_name).unwrap();
    assert_eq!(data.features(), [[1.0, 2.0], [3.0, 4.0]]);
    assert_eq!(data.targets(), [[10.0], [30.0]]);
    let by_index = CsvOptions { label: LabelColumn::Index(1), ..CsvOptions::default() };
    assert_eq!(read::<2, 1>(text, by_index).unwrap(), data);
    // The default is the last column.
    let last = read::<2, 1>(text, CsvOptions::default()).unwrap();
    assert_eq!(last.targets(), [[2.0], [4.0]]);

    let listed = CsvOptions {
        targets: vec![Column::Name("b".into()), Column::Index(0)],
        ..CsvOptions::default()
    };
    let two = read::<1, 2>(text, listed).unwrap();
    assert_eq!(two.features(), [[10.0], [30.0]]);
    assert_eq!(two.targets(), [[2.0, 1.0], [4.0, 3.0]]);
    assert_eq!(two.sample(1), (&[30.0], &[4.0, 3.0]));
}

#[test]
fn a_target_that_is_not_a_number_is_an_error_naming_file_line_column_and_text() {
    let text = "x,y\n1,2\n3,high\n";
    let error = read::<1, 1>(text, CsvOptions::default()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "test.csv: line 3, column \"y\" (field 2): expected a finite number, found \"high\""
    );
    let no_header = CsvOptions { header: false, ..CsvOptions::default() };
    let error = read::<1, 1>("1,2\n3,inf\n", no_header).unwrap_err();
    assert_eq!(
        error.to_string(),
        "test.csv: line 2, field 2: expected a finite number, found \"inf\""
    );
    // Out of f32's range.
    let error = RegressionSet::<f32, 1, 1>::from_csv_reader(
        "big.csv",
        "x,y\n1,1e39\n".as_bytes(),
        CsvOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(&error.kind, DataErrorKind::NotANumber { found } if found.contains("f32")));
}

#[test]
fn a_missing_target_is_dropped_or_refused_but_never_filled() {
    let text = "x,y\n1,2\nNA,4\n5,?\n7,8\n";
    let drop = CsvOptions { missing: Missing::Drop, ..CsvOptions::default() };
    let (data, report) =
        RegressionSet::<f64, 1, 1>::from_csv_reader_report("t.csv", text.as_bytes(), drop).unwrap();
    assert_eq!(data.targets(), [[2.0], [8.0]]);
    assert_eq!(report, CsvReport { samples: 2, dropped: 2, filled: 0 });

    let error = read::<1, 1>("x,y\n1,2\n5,?\n", CsvOptions::default()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "test.csv: line 3, column \"y\" (field 2): expected a value, found the missing value \
         \"?\" (CsvOptions::missing can drop the row or fill in the column's mean)"
    );
    // FillMean fills the feature, but not the target.
    let fill = CsvOptions { missing: Missing::FillMean, ..CsvOptions::default() };
    let (data, report) = RegressionSet::<f64, 1, 1>::from_csv_reader_report(
        "t.csv",
        "x,y\n1,2\nNA,4\n5,6\n".as_bytes(),
        fill.clone(),
    )
    .unwrap();
    assert_eq!(data.features(), [[1.0], [3.0], [5.0]]);
    assert_eq!(report, CsvReport { samples: 3, dropped: 0, filled: 1 });
    let error = read::<1, 1>(text, fill).unwrap_err();
    assert!(matches!(error.kind, DataErrorKind::Missing { .. }), "{error}");
    assert_eq!(error.location, Location::column(4, 2, "y"));
}

#[test]
fn a_wrong_number_of_features_is_reported_with_the_targets_counted() {
    let options = CsvOptions { ignore: vec![Column::Name("id".into())], ..CsvOptions::default() };
    let error = read::<2, 1>("id,x,y\n1,2,3\n", options.clone()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "test.csv: line 1: expected 2 features (4 columns: 1 target, 1 ignored), found 1 (3 \
         columns)"
    );
    let options = CsvOptions { header: false, ..CsvOptions::default() };
    let error = read::<1, 1>("1,2\n1,2,3\n", options).unwrap_err();
    assert_eq!(
        error.to_string(),
        "test.csv: line 2: expected 1 features (2 columns: 1 target, 0 ignored), found more"
    );
    let listed =
        CsvOptions { targets: vec![Column::Index(0), Column::Index(1)], ..CsvOptions::default() };
    let error = read::<2, 2>("a,b,c\n1,2,3\n", listed).unwrap_err();
    assert!(error.to_string().contains("(4 columns: 2 targets, 0 ignored)"), "{error}");
}

#[test]
fn the_target_columns_are_checked_before_reading() {
    let text = "a,b,c\n1,2,3\n";
    // Two targets need a list of two.
    let error = read::<1, 2>(text, CsvOptions::default()).unwrap_err();
    assert!(matches!(error.kind, DataErrorKind::TargetCount { expected: 2, found: 0 }));
    let one = CsvOptions { targets: vec![Column::Index(0)], ..CsvOptions::default() };
    let error = read::<1, 2>(text, one.clone()).unwrap_err();
    assert!(matches!(error.kind, DataErrorKind::TargetCount { expected: 2, found: 1 }));
    // A classification data set has a label, not targets.
    let error = Dataset::<f64, 2, 2>::from_csv_reader("t.csv", text.as_bytes(), one).unwrap_err();
    assert!(matches!(error.kind, DataErrorKind::TargetCount { expected: 0, found: 1 }));

    let twice = CsvOptions {
        targets: vec![Column::Index(2), Column::Name("c".into())],
        ..CsvOptions::default()
    };
    let error = read::<1, 2>(text, twice).unwrap_err();
    assert!(matches!(error.kind, DataErrorKind::DuplicateTarget { column: 2 }), "{error}");
    let past = CsvOptions { targets: vec![Column::Index(3)], ..CsvOptions::default() };
    let error = read::<2, 1>(text, past).unwrap_err();
    assert_eq!(
        error.to_string(),
        "test.csv: expected target columns from 0 to 2 (3 columns), found 3"
    );
    let ignored = CsvOptions { ignore: vec![Column::Name("c".into())], ..CsvOptions::default() };
    let error = read::<1, 1>(text, ignored).unwrap_err();
    assert!(matches!(error.kind, DataErrorKind::TargetIgnored { column: 2 }), "{error}");
    let unknown = CsvOptions { label: LabelColumn::Name("z".into()), ..CsvOptions::default() };
    let error = read::<2, 1>(text, unknown).unwrap_err();
    assert!(matches!(error.kind, DataErrorKind::UnknownColumn { .. }), "{error}");
}

#[test]
fn new_refuses_empty_unequal_and_non_finite_data() {
    let error = RegressionSet::<f64, 1, 1>::new(vec![], vec![]).unwrap_err();
    assert!(matches!(error.kind, DataErrorKind::Empty));
    let error = RegressionSet::<f64, 1, 1>::new(vec![[1.0]], vec![]).unwrap_err();
    assert!(matches!(error.kind, DataErrorKind::Shape { what: "targets", .. }));
    let error = RegressionSet::<f64, 1, 2>::new(vec![[1.0]; 2], vec![[0.0, 0.0], [1.0, f64::NAN]])
        .unwrap_err();
    assert_eq!(error.location, Location::Target { sample: 1, target: 1 });
    assert_eq!(
        error.to_string(),
        "<memory>: sample 1, target 1: expected a finite number, found \"NaN\""
    );
    let error =
        RegressionSet::<f64, 2, 1>::new(vec![[1.0, f64::INFINITY]], vec![[0.0]]).unwrap_err();
    assert_eq!(error.location, Location::Feature { sample: 0, feature: 1 });
}

fn numbered(n: usize) -> RegressionSet<f64, 1, 1> {
    let features = (0..n).map(|i| [i as f64]).collect();
    let targets = (0..n).map(|i| [10.0 * i as f64]).collect();
    RegressionSet::new(features, targets).unwrap()
}

#[test]
fn splits_follow_the_rules_of_dataset_split() {
    let mut rng = SeededRng::seed_from_u64(5);
    let (train, test) = numbered(10).split(0.25, &mut rng).unwrap();
    assert_eq!((train.len(), test.len()), (7, 3));
    // Every sample lands on one side, with its own target.
    let mut seen: Vec<f64> = train.features().iter().chain(test.features()).map(|x| x[0]).collect();
    seen.sort_by(f64::total_cmp);
    assert_eq!(seen, (0..10).map(f64::from).collect::<Vec<_>>());
    for set in [&train, &test] {
        assert!((0..set.len()).all(|i| set.sample(i).1[0] == 10.0 * set.sample(i).0[0]));
    }
    // The same seed, the same split.
    let again = numbered(10).split(0.25, &mut SeededRng::seed_from_u64(5)).unwrap();
    assert_eq!(again, (train, test));

    for fraction in [0.0, 1.0, -0.5, f64::NAN] {
        let error = numbered(10).split(fraction, &mut rng).unwrap_err();
        assert!(matches!(error.kind, DataErrorKind::Fraction { .. }), "{fraction}");
    }
    let error = numbered(10).split(0.01, &mut rng).unwrap_err();
    assert!(matches!(error.kind, DataErrorKind::EmptySplit { samples: 10, first: 10 }));
    let error = numbered(10).split(0.99, &mut rng).unwrap_err();
    assert!(matches!(error.kind, DataErrorKind::EmptySplit { samples: 10, first: 0 }));
    assert!(matches!(numbered(3).subset(&[]).unwrap_err().kind, DataErrorKind::Empty));
    assert_eq!(numbered(3).subset(&[2, 0]).unwrap().targets(), [[20.0], [0.0]]);
}

#[test]
fn shuffled_batches_hold_every_sample_with_its_target() {
    let data = numbered(10);
    let mut rng = SeededRng::seed_from_u64(9);
    let batches = data.shuffled_batches::<4, _>(&mut rng, LastBatch::Wrap);
    assert_eq!(batches.len(), 3);
    let order = batches.order().to_vec();
    assert_ne!(order, (0..10).collect::<Vec<_>>(), "not shuffled");
    let mut seen = Vec::new();
    for batch in batches {
        assert_eq!(batch.len, 4);
        for r in 0..4 {
            assert_eq!(batch.targets[(r, 0)], 10.0 * batch.inputs[(r, 0)]);
            seen.push(batch.inputs[(r, 0)]);
        }
    }
    // Ten samples, and the last batch wrapped round to the first two of the order.
    assert_eq!(seen.len(), 12);
    assert_eq!(&seen[10..], [order[0] as f64, order[1] as f64]);
    seen.truncate(10);
    seen.sort_by(f64::total_cmp);
    assert_eq!(seen, (0..10).map(f64::from).collect::<Vec<_>>());

    let padded: Vec<_> = data.batches::<4>(LastBatch::Pad).collect();
    assert_eq!(padded.iter().map(|b| b.len).collect::<Vec<_>>(), [4, 4, 2]);
    assert_eq!(padded[2].inputs[(3, 0)], 0.0);
    assert_eq!(data.batches::<4>(LastBatch::Drop).count(), 2);
}

#[test]
fn feature_scaling_uses_the_statistics_of_a_dataset() {
    let features = vec![[1.0, 5.0], [3.0, 5.0], [8.0, -1.0]];
    let regression = RegressionSet::<f64, 2, 1>::new(features.clone(), vec![[0.0]; 3]).unwrap();
    let classes = Dataset::<f64, 2, 2>::new(features, vec![0, 1, 0]).unwrap();
    assert_eq!(regression.standardise(), Standardise::fit(&classes));
    assert_eq!(regression.min_max(), ferroflow::data::MinMax::fit(&classes));
    let scaling = regression.standardise().scaling();
    assert_eq!(scaling.offset, [4.0, 3.0]);
}
