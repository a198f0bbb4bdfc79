//! Int8 networks: each kind of node against the float network it came from, the export as
//! Rust source (pinned in `tests/rust_source/int8.rs`, compiled in here and run bit for bit
//! against the host's quantised network), and the errors of quantisation.
//! Regenerate the pinned file with `FERROFLOW_BLESS=1 cargo test --test int8`.
#![cfg(feature = "std")]

use ferroflow::prelude::*;
use ferroflow::quant::{Int8, QuantiseError};
use rand::RngExt;

network! {
    /// Every kind of node: two inputs, a concatenation, a residual sum, a dropout, and
    /// each activation that has an int8 form.
    pub struct Everything<f32> {
        a: Input<3>,
        b: Input<2>,
        both: Concat(a, b),
        stem: Perceptron<8, Relu>(both),
        block: Perceptron<8, Tanh>(stem),
        skip: Sum(stem, block),
        squash: Perceptron<6, Sigmoid>(skip),
        drop: Dropout<0.25>(squash),
        output: Perceptron<2, Identity>(drop),
    }
}

network! {
    /// The exported network: small enough to read in the pinned file.
    pub struct Small<f32> {
        input: 2,
        hidden: Perceptron<3, Sigmoid>,
        output: Perceptron<2, Softmax>,
    }
}

mod small_golden {
    use super::Small;
    include!("rust_source/int8.rs");
}

fn samples<const N: usize>(seed: u64, n: usize) -> Vec<[f32; N]> {
    let mut rng = SeededRng::seed_from_u64(seed);
    (0..n).map(|_| std::array::from_fn(|_| rng.random_range(-2.0..2.0))).collect()
}

#[test]
fn every_kind_of_node_follows_the_float_network_within_a_few_steps() {
    let net = Everything::random(&mut SeededRng::seed_from_u64(3));
    let calibration = samples::<5>(1, 500);
    let int8 = Int8::quantise(&net, &calibration).unwrap();
    let step = int8.output.scale;
    let mut worst = 0.0f32;
    for x in samples::<5>(2, 200) {
        let float = net.forward(&Matrix::<f32, 1, 5>::from_row_slice(&x));
        let int8_out = int8.predict(&x);
        for (f, q) in float.iter().zip(int8_out) {
            worst = worst.max((f - q).abs());
        }
    }
    // Six requantisations (input, concat, three layers, sum) and a table each round by
    // at most half a step of their own scale; the output's error stays a few of its steps.
    assert!(worst <= 6.0 * step, "worst error {worst}, {:.1} output steps", worst / step);
    assert!(worst > 0.0, "int8 cannot be exact here: the check would be vacuous");
}

#[test]
fn calibration_runs_the_float_network_itself() {
    // The generated calibration pass is a second copy of the forward wiring: a float
    // network quantised on one sample must give that sample's outputs back. Calibration
    // runs as built, so that a network quantises to the same int8 model on every
    // processor; inference, on a processor with FMA, in the variant that fuses each
    // multiply-add (`kernels::isa`), which moves an output by a few ulp. Where inference
    // runs as built too, the two agree to the bit.
    use ferroflow::quant::Quantise;
    let as_built = ferroflow::kernels::selected() == "build target";
    let net = Everything::random(&mut SeededRng::seed_from_u64(4));
    let mut worst = 0.0f64;
    for x in samples::<5>(5, 20) {
        let mut seen = <Everything as Quantise<5, 2>>::UNSEEN;
        net.observe(&Matrix::from_row_slice(&x), &mut seen);
        let output = net.forward(&Matrix::<f32, 1, 5>::from_row_slice(&x));
        let last = seen.last().unwrap();
        // The output node saw this sample's outputs.
        let (min, max) = output.iter().fold((f64::MAX, f64::MIN), |(lo, hi), &v| {
            (lo.min(f64::from(v)), hi.max(f64::from(v)))
        });
        if as_built {
            assert_eq!((last.post.min, last.post.max), (min, max));
        }
        for (seen, computed) in [(last.post.min, min), (last.post.max, max)] {
            // In units of f32's epsilon at the value's magnitude (at least 1).
            worst = worst
                .max((seen - computed).abs() / (f64::from(f32::EPSILON) * computed.abs().max(1.0)));
        }
    }
    assert!(worst <= 8.0, "calibration and inference differ by {worst} ulp");
}

#[test]
fn a_softmax_network_classifies_as_the_float_one_and_its_probabilities_are_close() {
    let net = Small::random(&mut SeededRng::seed_from_u64(7));
    let calibration = samples::<2>(8, 300);
    let int8 = Int8::quantise(&net, &calibration).unwrap();
    let (mut same, mut total) = (0, 0);
    for x in samples::<2>(9, 300) {
        let float = net.forward(&Matrix::<f32, 1, 2>::from_row_slice(&x));
        let p = int8.predict(&x);
        assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-5);
        for (f, q) in float.iter().zip(p) {
            assert!((f - q).abs() < 0.05, "{x:?}: {float:?} against {p:?}");
        }
        // Where the float network is not torn between the classes, the classes agree.
        if (float[0] - float[1]).abs() > 0.05 {
            same += usize::from(int8.classify(&x) == net.classify(&x));
            total += 1;
        }
    }
    assert_eq!(same, total);
}

#[test]
fn the_exported_source_rebuilds_the_network_bit_for_bit() {
    let net = Small::random(&mut SeededRng::seed_from_u64(7));
    let int8 = Int8::quantise(&net, &samples::<2>(8, 300)).unwrap();
    let source = ferroflow::io::int8_to_rust_source(&int8, "Small", "SMALL").unwrap();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rust_source/int8.rs");
    if std::env::var_os("FERROFLOW_BLESS").is_some() {
        std::fs::write(&path, &source).unwrap();
    }
    assert_eq!(source, std::fs::read_to_string(&path).unwrap(), "the exporter's text changed");
    // Every int8 input, through the compiled constant and through the host's network.
    for a in i8::MIN..=i8::MAX {
        for b in [-128, -77, -1, 0, 1, 64, 127] {
            assert_eq!(small_golden::SMALL.forward(&[a, b]), int8.forward(&[a, b]));
        }
    }
    assert_eq!(small_golden::SMALL.output, int8.output);
}

#[test]
fn quantisation_refuses_what_it_cannot_do_with_a_reason() {
    let mut net = Small::random(&mut SeededRng::seed_from_u64(1));
    let none: [[f32; 2]; 0] = [];
    let error = Int8::quantise(&net, &none).unwrap_err();
    assert_eq!(error, QuantiseError::NoCalibration);
    assert!(error.to_string().contains("no calibration samples"));

    let with_nan = [[0.0, 1.0], [f32::NAN, 0.0]];
    let error = Int8::quantise(&net, &with_nan).unwrap_err();
    assert_eq!(error, QuantiseError::NonFinite { node: "input" });
    assert!(error.to_string().starts_with("node `input`: "), "{error}");

    net.output.bias[1] = f32::INFINITY;
    let error = Int8::quantise(&net, &[[0.0, 1.0]]).unwrap_err();
    assert_eq!(error, QuantiseError::NonFinite { node: "output" });
}

#[test]
fn a_regression_network_keeps_its_error_in_int8() {
    network! {
        /// The sine model of TFLM's hello world.
        pub struct Sine<f32> {
            input: 1,
            first: Perceptron<16, Relu>,
            second: Perceptron<16, Relu>,
            output: Perceptron<1, Identity>,
        }
    }
    let mut rng = SeededRng::seed_from_u64(11);
    let mut net = Sine::random(&mut rng);
    let mut adam = Adam::new(0.01);
    let grid: Vec<[f32; 1]> = (0..64).map(|i| [i as f32 * std::f32::consts::TAU / 63.0]).collect();
    for _ in 0..3000 {
        let x: Matrix<f32, 32, 1> =
            Matrix::from_fn(|_, _| rng.random_range(0.0..std::f32::consts::TAU));
        let y = x.map(f32::sin);
        net.train_step(&x, &y, &mut adam);
    }
    let int8 = Int8::quantise(&net, &grid).unwrap();
    let (mut float_mse, mut int8_mse) = (0.0, 0.0);
    for x in &grid {
        let truth = x[0].sin();
        float_mse += (net.forward(&Matrix::<f32, 1, 1>::from_row_slice(x))[0] - truth).powi(2);
        int8_mse += (int8.predict(x)[0] - truth).powi(2);
    }
    let (float_mse, int8_mse) = (float_mse / 64.0, int8_mse / 64.0);
    assert!(float_mse < 0.01, "the float network did not learn: MSE {float_mse}");
    assert!(int8_mse < float_mse + 0.002, "int8 MSE {int8_mse} against f32 {float_mse}");
}
