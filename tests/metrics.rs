//! The metrics people report, checked against figures computed by hand: precision, recall
//! and F1 with their averages and 0/0 cases, the report's table, and the ROC AUC with ties.
#![cfg(feature = "std")]

use ferroflow::data::Dataset;
use ferroflow::prelude::*;
use ferroflow::train::{ClassificationReport, ConfusionMatrix, roc_auc};
use ferroflow::{Rng, SeededRng};

fn close(found: f64, expected: f64) {
    assert!((found - expected).abs() < 1e-15, "found {found}, expected {expected}");
}

/// Rows: true class; columns: predicted class.
///
/// ```text
///          0  1  2   support
///    0     5  2  1      8
///    1     1  6  1      8
///    2     0  2  3      5
/// predicted 6 10  5     21
/// ```
fn three_classes() -> ClassificationReport<3> {
    ConfusionMatrix { counts: [[5, 2, 1], [1, 6, 1], [0, 2, 3]] }.report()
}

#[test]
fn per_class_precision_recall_and_f1() {
    let report = three_classes();
    let expected = [
        // class 0: tp 5, fp 1 + 0 = 1, fn 2 + 1 = 3.
        // precision 5/6, recall 5/8, F1 2·5 / (2·5 + 1 + 3) = 10/14 = 5/7.
        (5.0 / 6.0, 5.0 / 8.0, 5.0 / 7.0, 8, 6),
        // class 1: tp 6, fp 2 + 2 = 4, fn 1 + 1 = 2.
        // precision 6/10, recall 6/8, F1 12 / (12 + 4 + 2) = 2/3.
        (0.6, 0.75, 2.0 / 3.0, 8, 10),
        // class 2: tp 3, fp 1 + 1 = 2, fn 0 + 2 = 2.
        // precision 3/5, recall 3/5, F1 6 / (6 + 2 + 2) = 3/5.
        (0.6, 0.6, 0.6, 5, 5),
    ];
    for (class, (p, r, f1, support, predicted)) in report.classes.iter().zip(expected) {
        close(class.precision, p);
        close(class.recall, r);
        close(class.f1, f1);
        assert_eq!((class.support, class.predicted), (support, predicted));
    }
    // 5 + 6 + 3 = 14 of 21.
    close(report.accuracy, 2.0 / 3.0);
    assert_eq!(report.samples, 21);
}

#[test]
fn macro_and_weighted_averages() {
    let report = three_classes();
    // Macro: (5/6 + 3/5 + 3/5) / 3 = (25 + 18 + 18)/30 / 3 = 61/90.
    close(report.macro_avg.precision, 61.0 / 90.0);
    // (5/8 + 3/4 + 3/5) / 3 = (25 + 30 + 24)/40 / 3 = 79/120.
    close(report.macro_avg.recall, 79.0 / 120.0);
    // (5/7 + 2/3 + 3/5) / 3 = (75 + 70 + 63)/105 / 3 = 208/315.
    close(report.macro_avg.f1, 208.0 / 315.0);
    // Weighted by support 8, 8, 5 of 21:
    // (8·5/6 + 8·3/5 + 5·3/5) / 21 = (100 + 72 + 45)/15 / 21 = 217/315 = 31/45.
    close(report.weighted_avg.precision, 31.0 / 45.0);
    // The weighted recall is always the accuracy: (5 + 6 + 3) / 21.
    close(report.weighted_avg.recall, 14.0 / 21.0);
    // (8·5/7 + 8·2/3 + 5·3/5) / 21 = (120 + 112 + 63)/21 / 21 = 295/441.
    close(report.weighted_avg.f1, 295.0 / 441.0);
}

#[test]
fn a_zero_over_zero_is_zero_and_absent_classes_leave_the_macro_average() {
    // Class 1 has no samples but is predicted twice; class 2 has two samples and is never
    // predicted; class 3 is neither present nor predicted.
    let counts = [[3, 1, 0, 0], [0, 0, 0, 0], [1, 1, 0, 0], [0, 0, 0, 0]];
    let report = ConfusionMatrix { counts }.report();
    let c = report.classes;
    // Class 0: tp 3, fp 1, fn 1: 3/4 everywhere.
    close(c[0].precision, 0.75);
    close(c[0].recall, 0.75);
    close(c[0].f1, 0.75);
    // Class 1: precision 0/2 = 0, recall 0/0 → 0, F1 0/(0 + 2 + 0) = 0.
    assert_eq!(
        (c[1].precision, c[1].recall, c[1].f1, c[1].support, c[1].predicted),
        (0.0, 0.0, 0.0, 0, 2)
    );
    // Class 2: precision 0/0 → 0, recall 0/2 = 0, F1 0/(0 + 0 + 2) = 0.
    assert_eq!(
        (c[2].precision, c[2].recall, c[2].f1, c[2].support, c[2].predicted),
        (0.0, 0.0, 0.0, 2, 0)
    );
    // Class 3: everything 0/0 → 0.
    assert_eq!(
        (c[3].precision, c[3].recall, c[3].f1, c[3].support, c[3].predicted),
        (0.0, 0.0, 0.0, 0, 0)
    );
    // Macro over classes 0, 1, 2 (class 3 occurs nowhere): (3/4 + 0 + 0) / 3 = 1/4, not
    // the 3/16 of a mean over all four.
    close(report.macro_avg.precision, 0.25);
    close(report.macro_avg.recall, 0.25);
    close(report.macro_avg.f1, 0.25);
    // Weighted by support 4, 0, 2, 0 of 6: 4·3/4 / 6 = 1/2.
    close(report.weighted_avg.precision, 0.5);
    close(report.weighted_avg.f1, 0.5);
    close(report.accuracy, 0.5);
}

#[test]
fn a_matrix_of_no_samples_reports_zeros() {
    let report = ConfusionMatrix { counts: [[0; 2]; 2] }.report();
    assert_eq!((report.accuracy, report.macro_avg.f1, report.weighted_avg.f1), (0.0, 0.0, 0.0));
}

#[test]
fn the_report_prints_as_a_table_with_names_or_indices() {
    // Class 0: tp 2, fn 1, fp 0: precision 1, recall 2/3, F1 4/5.
    // Class 1: tp 2, fn 0, fp 1: precision 2/3, recall 1, F1 4/5.
    // Macro precision (1 + 2/3)/2 = 5/6; weighted (3·1 + 2·2/3)/5 = 13/15 = 0.8667.
    let report = ConfusionMatrix { counts: [[2, 1], [0, 2]] }.report();
    let table = "              precision    recall  f1-score   support

           0     1.0000    0.6667    0.8000         3
           1     0.6667    1.0000    0.8000         2

    accuracy                         0.8000         5
   macro avg     0.8333    0.8333    0.8000         5
weighted avg     0.8667    0.8000    0.8000         5";
    assert_eq!(report.to_string(), table);
    let named = report.with_names(&["a long class name", "dog"]).to_string();
    let first = named.lines().nth(2).unwrap();
    assert_eq!(first, "a long class name     1.0000    0.6667    0.8000         3");
    assert!(named.ends_with("\n     weighted avg     0.8667    0.8000    0.8000         5"));
}

#[test]
#[should_panic(expected = "a report of 2 classes needs 2 names, not 3")]
fn names_must_be_one_per_class() {
    let _ = ConfusionMatrix { counts: [[1, 0], [0, 1]] }.report().with_names(&["a", "b", "c"]);
}

#[test]
fn auc_of_separated_and_reversed_scores() {
    let positives = [false, false, true, true];
    assert_eq!(roc_auc(&[0.1, 0.2, 0.8, 0.9], &positives), Some(1.0));
    assert_eq!(roc_auc(&[0.9, 0.8, 0.2, 0.1], &positives), Some(0.0));
}

#[test]
fn auc_by_hand_without_ties() {
    // Positives 0.35 and 0.8, negatives 0.1 and 0.4. Pairs in order: (0.35, 0.1),
    // (0.8, 0.1), (0.8, 0.4); out of order: (0.35, 0.4). 3/4.
    assert_eq!(roc_auc(&[0.1, 0.35, 0.4, 0.8], &[false, true, false, true]), Some(0.75));
}

#[test]
fn auc_by_hand_with_ties() {
    // Positives 0.5 and 0.9; negatives 0.5, 0.5, 0.2.
    // 0.5 against 0.5, 0.5, 0.2: ½ + ½ + 1 = 2; 0.9 against all three: 3. (2 + 3) / (2·3).
    // By ranks: 0.2 → 1, the three 0.5 → (2 + 3 + 4)/3 = 3, 0.9 → 5; the positives' sum
    // 3 + 5 = 8, minus 2·3/2 = 3: U = 5.
    let auc = roc_auc(&[0.5, 0.5, 0.5, 0.2, 0.9], &[true, false, false, false, true]);
    assert_eq!(auc, Some(5.0 / 6.0));
    // Every score tied: every pair counts ½.
    assert_eq!(roc_auc(&[0.3; 5], &[true, false, true, false, false]), Some(0.5));
    // -0.0 and 0.0 are one score: one tied pair, ½.
    assert_eq!(roc_auc(&[-0.0, 0.0], &[true, false]), Some(0.5));
}

#[test]
fn auc_is_undefined_for_one_class_or_nan() {
    assert_eq!(roc_auc(&[0.1, 0.9], &[true, true]), None);
    assert_eq!(roc_auc(&[0.1, 0.9], &[false, false]), None);
    assert_eq!(roc_auc(&[], &[]), None);
    assert_eq!(roc_auc(&[0.1, f64::NAN], &[true, false]), None);
}

#[test]
#[should_panic(expected = "one class per score")]
fn auc_needs_one_class_per_score() {
    let _ = roc_auc(&[0.1, 0.2], &[true]);
}

#[test]
fn auc_equals_the_share_of_ordered_pairs_on_random_tied_scores() {
    let mut rng = SeededRng::seed_from_u64(11);
    for n in [2, 3, 10, 57, 200] {
        // Scores on a coarse grid, so many tie, the positives more likely high.
        let positives: Vec<bool> = (0..n).map(|_| rng.next_u64() % 3 == 0).collect();
        let scores: Vec<f64> = positives
            .iter()
            .map(|&p| ((rng.next_u64() % 8) as f64 + if p { 2.0 } else { 0.0 }) / 10.0)
            .collect();
        // Twice the count of (positive, negative) pairs in order, ties counting one.
        let mut twice = 0u64;
        let (mut p, mut q) = (0u64, 0u64);
        for i in 0..n {
            p += u64::from(positives[i]);
            q += u64::from(!positives[i]);
            for j in 0..n {
                if positives[i] && !positives[j] {
                    twice += match scores[i].partial_cmp(&scores[j]).unwrap() {
                        std::cmp::Ordering::Greater => 2,
                        std::cmp::Ordering::Equal => 1,
                        std::cmp::Ordering::Less => 0,
                    };
                }
            }
        }
        let expected = (p > 0 && q > 0).then(|| twice as f64 / (2 * p * q) as f64);
        assert_eq!(roc_auc(&scores, &positives), expected, "{n} samples");
    }
}

network! {
    struct Score<f64> { input: 1, output: Perceptron<2, Softmax> }
}

#[test]
fn a_networks_auc_is_that_of_its_class_one_outputs() {
    // 150 samples (three batches of evaluation, the last one short), labels by a rule the
    // feature follows only roughly.
    let mut rng = SeededRng::seed_from_u64(5);
    let features: Vec<[f64; 1]> = (0..150).map(|i| [(i % 37) as f64 / 37.0]).collect();
    let labels: Vec<usize> = features
        .iter()
        .map(|x| usize::from(x[0] + (rng.next_u64() % 5) as f64 / 10.0 > 0.6))
        .collect();
    let data = Dataset::<f64, 1, 2>::new(features.clone(), labels.clone()).unwrap();
    let mut net = Score::zeros();
    net.output.weights[(0, 1)] = 3.0;
    net.output.bias[1] = -1.0;
    let scores: Vec<f64> = features.iter().map(|x| net.forward(&row(*x))[(0, 1)]).collect();
    let positives: Vec<bool> = labels.iter().map(|&l| l == 1).collect();
    let expected = roc_auc(&scores, &positives).unwrap();
    assert!(expected > 0.5 && expected < 1.0, "{expected}");
    assert_eq!(data.roc_auc(&net), Some(expected));
    // A network that ranks the other way round: 1 − AUC (tied features stay tied).
    net.output.weights[(0, 1)] = -3.0;
    let reversed = data.roc_auc(&net).unwrap();
    assert!((reversed - (1.0 - expected)).abs() < 1e-12, "{reversed} vs {expected}");
    // One class only: undefined.
    let ones = Dataset::<f64, 1, 2>::new(vec![[0.0], [1.0]], vec![1, 1]).unwrap();
    assert_eq!(ones.roc_auc(&net), None);
}

#[test]
fn an_evaluations_report_is_that_of_its_confusion_matrix() {
    let data = ferroflow::data::digits::<f64>();
    network! {
        struct Linear<f64> { input: 64, output: Perceptron<10, Softmax> }
    }
    let net = Linear::random(&mut SeededRng::seed_from_u64(1));
    let evaluation = data.evaluate(&net);
    let report = evaluation.report();
    assert_eq!(report, evaluation.confusion.report());
    assert_eq!(report.accuracy, evaluation.accuracy);
    let scores = evaluation.scores();
    assert_eq!(
        (scores.loss, scores.accuracy, scores.macro_f1, scores.weighted_f1),
        (evaluation.loss, evaluation.accuracy, report.macro_avg.f1, report.weighted_avg.f1)
    );
    assert_eq!(
        (scores.macro_precision, scores.macro_recall),
        (report.macro_avg.precision, report.macro_avg.recall)
    );
}
