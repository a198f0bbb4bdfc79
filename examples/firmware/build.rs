//! Runs on the host before the firmware compiles. It
//! - picks the memory map of the board that has the target's core;
//! - trains the network on the host (seed [`red_blue::HOST_SEED`]) and writes its weights
//!   as `const` Rust source, to be baked into flash, with its predictions for the fixed
//!   inputs;
//! - runs the device's training (seed [`red_blue::DEVICE_SEED`]) here first, and writes
//!   the losses, final weights and accuracy the device must reproduce;
//! - does the same for the residual digits network, the sine model and the digits network
//!   (`f32` and int8) and the digits' training on the device.
//!
//! `FERROFLOW_FIRMWARE_PERTURB`, a comma-separated list of `prediction`, `loss`, `weight`,
//! `accuracy`, `residual`, `sine`, `digits` and `device`, shifts one expected value of each
//! just past the tolerance (an int8 one by 1), to show that the firmware's checks fail
//! when they should. Each perturbation reaches one image's check, so several go in one
//! build as long as they are for different images.

#[allow(dead_code)]
#[path = "src/red_blue.rs"]
mod red_blue;

#[allow(dead_code)]
#[path = "src/residual_digits.rs"]
mod residual_digits;

#[allow(dead_code)]
#[path = "src/sine.rs"]
mod sine;

#[allow(dead_code)]
#[path = "src/digits.rs"]
mod digits;

#[allow(dead_code)]
#[path = "src/digits_training.rs"]
mod digits_training;

use ferroflow::io::{int8_to_rust_source, to_rust_source};
use ferroflow::quant::Int8;
use red_blue::*;
use std::fmt::Write;
use std::path::PathBuf;
use std::{env, fs};

fn main() {
    // The host computes with the build's own kernels, not the AVX2 or AVX-512 ones it would
    // choose at run time: those fuse multiply-adds (one rounding where a Cortex-M4F's code
    // rounds twice), and the devices must reproduce the host's numbers bit for bit.
    // SAFETY: nothing else runs yet; no other thread reads the environment.
    unsafe { env::set_var("FERROFLOW_ISA", "build") };
    println!("cargo:rerun-if-changed=src/red_blue.rs");
    println!("cargo:rerun-if-changed=src/residual_digits.rs");
    println!("cargo:rerun-if-changed=src/sine.rs");
    println!("cargo:rerun-if-changed=src/digits.rs");
    println!("cargo:rerun-if-changed=src/digits_training.rs");
    println!("cargo:rerun-if-changed=memory");
    println!("cargo:rerun-if-env-changed=FERROFLOW_FIRMWARE_PERTURB");
    let out_dir = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    memory_map(&out_dir);
    let perturb = env::var("FERROFLOW_FIRMWARE_PERTURB").unwrap_or_default();
    const KNOWN: [&str; 8] =
        ["prediction", "loss", "weight", "accuracy", "residual", "sine", "digits", "device"];
    if let Some(unknown) = perturb.split(',').find(|p| !p.is_empty() && !KNOWN.contains(p)) {
        panic!("FERROFLOW_FIRMWARE_PERTURB: {unknown:?} is none of {}", KNOWN.join(", "));
    }
    let perturbed = |what: &str| perturb.split(',').any(|p| p == what);
    let shift = |what: &str, value: f32| {
        if perturbed(what) { value + 2.0 * TOLERANCE.max(value.abs() * 1e-6) } else { value }
    };

    let mut source = String::from("// Written by build.rs: the host's results.\n\n");

    // The network the inference firmware runs: trained here, on the host.
    let (data, mut host_net) = start(HOST_SEED);
    let host_batches = batches(&data);
    train(&mut host_net, &host_batches, HOST_EPOCHS, |_, _| {});
    source +=
        &to_rust_source(&host_net, "RedBlue", "HOST_TRAINED").expect("a chain of perceptrons");
    let _ = writeln!(
        source,
        "\n/// The host-trained network's accuracy on its training data, out of {SAMPLES}.\n\
         pub const HOST_TRAINED_CORRECT: usize = {};",
        correct(&host_net, &host_batches)
    );
    let predictions: Vec<String> = INPUTS
        .iter()
        .enumerate()
        .map(|(i, input)| {
            let [red, blue] = host_net.predict(input);
            let red = if i == 0 { shift("prediction", red) } else { red };
            format!("    [{red:?}, {blue:?}],")
        })
        .collect();
    let _ = writeln!(
        source,
        "\n/// The host's outputs of that network for `INPUTS`.\n\
         #[rustfmt::skip]\n\
         pub const HOST_PREDICTIONS: [[f32; 2]; {}] = [\n{}\n];",
        INPUTS.len(),
        predictions.join("\n")
    );

    // The device's training run, done here first.
    let (data, mut net) = start(DEVICE_SEED);
    let device_batches = batches(&data);
    let mut losses = Vec::new();
    train(&mut net, &device_batches, DEVICE_EPOCHS, |_, loss| losses.push(loss));
    assert_eq!(losses.len(), reports(DEVICE_EPOCHS));
    if let Some(last) = losses.last_mut() {
        *last = shift("loss", *last);
    }
    let losses: Vec<String> = losses.iter().map(|l| format!("{l:?}")).collect();
    let _ = writeln!(
        source,
        "\n/// The mean training loss of the device's run at each report.\n\
         #[rustfmt::skip]\n\
         pub const EXPECTED_LOSSES: [f32; {}] = [{}];",
        losses.len(),
        losses.join(", ")
    );
    let mut expected_net = net.clone();
    expected_net.output.bias[1] = shift("weight", expected_net.output.bias[1]);
    source += &to_rust_source(&expected_net, "RedBlue", "EXPECTED_TRAINED")
        .expect("a chain of perceptrons");
    let correct = correct(&net, &device_batches) + usize::from(perturbed("accuracy"));
    let _ = writeln!(
        source,
        "\n/// The device's accuracy after training, out of {SAMPLES}.\n\
         pub const EXPECTED_CORRECT: usize = {correct};\n\
         /// The device's final loss over the whole data set.\n\
         pub const EXPECTED_FINAL_LOSS: f32 = {:?};",
        loss(&net, &device_batches)
    );

    fs::write(out_dir.join("host_results.rs"), source).expect("OUT_DIR is writable");
    fs::write(out_dir.join("residual_results.rs"), residual_results(shift))
        .expect("OUT_DIR is writable");
    fs::write(out_dir.join("sine_results.rs"), sine_results(perturbed("sine")))
        .expect("OUT_DIR is writable");
    fs::write(
        out_dir.join("digits_results.rs"),
        digits_results(perturbed("digits"), perturbed("device")),
    )
    .expect("OUT_DIR is writable");
}

/// `values` as a Rust array literal's items, each with the digits that read back to it.
fn items<T: std::fmt::Debug>(values: impl IntoIterator<Item = T>) -> String {
    values.into_iter().map(|v| format!("{v:?}")).collect::<Vec<_>>().join(", ")
}

/// The sine model trained and quantised here: both networks as `const` source, the true
/// values on the grid, and the host's outputs of each network there (the int8 ones to be
/// matched bit for bit), with each network's MSE. `perturb` moves one expected
/// int8 output by one step, to show that the comparison fails.
fn sine_results(perturb: bool) -> String {
    use sine::*;
    let net = train();
    let int8 = Int8::quantise(&net, &calibration()).expect("a finite network");
    let mut source =
        String::from("// Written by build.rs: the sine model, trained on the host.\n\n");
    source += &to_rust_source(&net, "Sine", "SINE_F32").expect("a chain of perceptrons");
    source += &int8_to_rust_source(&int8, "Sine", "SINE_INT8").expect("valid names");
    let (mut truth, mut float_out, mut int8_out) = (Vec::new(), Vec::new(), Vec::new());
    let (mut float_mse, mut int8_mse) = (0.0f32, 0.0f32);
    for i in 0..GRID {
        let x = grid_point(i);
        let y = x.sin();
        let f = net.predict(&[x])[0];
        let q = int8.forward(&int8.quantise_input(&[x]))[0];
        let d = int8.dequantise(&[q])[0];
        // The device sums the same way, in the same order.
        float_mse += (f - y) * (f - y);
        int8_mse += (d - y) * (d - y);
        truth.push(y);
        float_out.push(f);
        int8_out.push(if i == 0 && perturb { q.saturating_add(1) } else { q });
    }
    let _ = writeln!(
        source,
        "\n/// sin x on the grid.\n#[rustfmt::skip]\npub static TRUTH: [f32; {GRID}] = [{}];\n\
         /// The float network's outputs on the grid, here.\n#[rustfmt::skip]\n\
         pub static HOST_F32: [f32; {GRID}] = [{}];\n\
         /// The int8 network's outputs on the grid, here.\n#[rustfmt::skip]\n\
         pub static HOST_INT8: [i8; {GRID}] = [{}];\n\
         /// The mean squared errors of each on the grid, here.\n\
         pub const HOST_F32_MSE: f32 = {:?};\npub const HOST_INT8_MSE: f32 = {:?};",
        items(&truth),
        items(&float_out),
        items(&int8_out),
        float_mse / GRID as f32,
        int8_mse / GRID as f32,
    );
    source
}

/// The digits network trained here on the residual network's split and recipe, and its
/// int8 quantisation (calibrated on the training set): both as `const` source, the whole
/// test set (standardised, and quantised for the int8 image), its labels, and the host's
/// outputs of both networks. `perturb` moves one expected int8 logit by one;
/// `perturb_device` one loss of [`device_training`].
fn digits_results(perturb: bool, perturb_device: bool) -> String {
    use digits::*;
    let (split, mut rng) = residual_digits::split().expect("the digits split into three sets");
    let mut net = Digits::random(&mut rng);
    residual_digits::train(&mut net, &split, |_| {})
        .unwrap_or_else(|error| panic!("training the digits network failed: {error}"));
    let int8 = Int8::quantise(&net, split.train.features()).expect("a finite network");
    let mut source =
        String::from("// Written by build.rs: the digits network, trained on the host.\n\n");
    source += &to_rust_source(&net, "Digits", "DIGITS_F32").expect("a chain of perceptrons");
    source += &int8_to_rust_source(&int8, "Digits", "DIGITS_INT8").expect("valid names");
    let test = &split.test;
    let (mut pixels, mut quantised, mut probabilities, mut logits) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut float_correct, mut int8_correct) = (0, 0);
    for (i, (x, &label)) in test.features().iter().zip(test.labels()).enumerate() {
        let p = net.predict(x);
        let q = int8.quantise_input(x);
        let mut y = int8.forward(&q);
        float_correct += usize::from(argmax(&p) == label);
        int8_correct += usize::from(argmax(&y) == label);
        if i == 0 && perturb {
            y[0] = y[0].saturating_add(1);
        }
        pixels.push(format!("    [{}],", items(x)));
        quantised.push(format!("    [{}],", items(q)));
        probabilities.push(format!("    [{}],", items(p)));
        logits.push(format!("    [{}],", items(y)));
    }
    let n = test.len();
    let _ = writeln!(
        source,
        "\n/// The held-out test set, standardised with the training set's statistics.\n\
         #[rustfmt::skip]\npub static TEST_F32: [[f32; 64]; {n}] = [\n{}\n];\n\
         /// The same samples in the int8 network's input mapping.\n\
         #[rustfmt::skip]\npub static TEST_INT8: [[i8; 64]; {n}] = [\n{}\n];\n\
         /// Their digits.\n#[rustfmt::skip]\npub static TEST_LABELS: [u8; {n}] = [{}];\n\
         /// The float network's probabilities for them, here.\n\
         #[rustfmt::skip]\npub static HOST_F32: [[f32; 10]; {n}] = [\n{}\n];\n\
         /// The int8 network's logits for them, here.\n\
         #[rustfmt::skip]\npub static HOST_INT8: [[i8; 10]; {n}] = [\n{}\n];\n\
         /// How many each gets right, here.\n\
         pub const HOST_F32_CORRECT: usize = {float_correct};\n\
         pub const HOST_INT8_CORRECT: usize = {int8_correct};",
        pixels.join("\n"),
        quantised.join("\n"),
        items(test.labels()),
        probabilities.join("\n"),
        logits.join("\n"),
    );
    source += &device_training(perturb_device);
    source
}

/// The raw training and test sets for the `digits_training` firmware (pixels 0 to 16,
/// the same split as [`residual_digits::split`]), the training set's statistics, and that
/// firmware's run done here first (`digits_training`'s code, seed and recipe): each
/// epoch's loss, the final network and its test accuracy. `perturb` shifts the
/// last loss by 2e-5.
fn device_training(perturb: bool) -> String {
    use digits_training::*;
    use ferroflow::data::Standardise;
    const N: usize = 1294;
    const TEST: usize = 359;
    // `residual_digits::split`, without its standardisation: the same draws, so the same
    // samples in the same order.
    let mut rng =
        <ferroflow::SeededRng as ferroflow::SeedableRng>::seed_from_u64(residual_digits::SEED);
    let (train, test) =
        ferroflow::data::digits::<f32>().split(0.2, &mut rng).expect("the digits split");
    let (train, _validation) = train.split(0.1, &mut rng).expect("the digits split");
    let scaling = Standardise::fit(&train).scaling();
    let raw = |set: &ferroflow::data::Dataset<f32, 64, 10>| -> (Vec<[u8; 64]>, Vec<u8>) {
        let pixels = set.features().iter().map(|x| x.map(|v| v as u8)).collect();
        let labels = set.labels().iter().map(|&l| u8::try_from(l).expect("a digit")).collect();
        (pixels, labels)
    };
    let (train_pixels, train_labels) = raw(&train);
    let (test_pixels, test_labels) = raw(&test);
    assert!(train.features().iter().flatten().all(|&v| v == f32::from(v as u8)), "whole pixels");
    let samples: Box<[[u8; 64]; N]> =
        train_pixels.clone().into_boxed_slice().try_into().expect("N training samples");
    let labels: Box<[u8; N]> =
        train_labels.clone().into_boxed_slice().try_into().expect("N training labels");
    let tests: Box<[[u8; 64]; TEST]> =
        test_pixels.clone().into_boxed_slice().try_into().expect("TEST samples");
    let tests_labels: Box<[u8; TEST]> =
        test_labels.clone().into_boxed_slice().try_into().expect("TEST labels");

    let (mut net, mut rng) = start();
    let mut sgd = ferroflow::GradientDescent::new(LEARNING_RATE);
    let mut order = identity_order::<N>();
    let mut losses: Vec<f32> = (0..EPOCHS)
        .map(|_| epoch(&mut net, &mut sgd, &mut rng, &mut order, &samples, &labels, &scaling))
        .collect();
    if perturb && let Some(last) = losses.last_mut() {
        *last += 2e-5;
    }
    let test_correct = correct(&net, &tests, &tests_labels, &scaling);
    let rows = |pixels: &[[u8; 64]]| -> String {
        pixels.iter().map(|x| format!("    [{}],", items(x))).collect::<Vec<_>>().join("\n")
    };
    let mut source = format!(
        "\n/// The raw training set the device trains on (pixels 0 to 16).\n#[rustfmt::skip]\n\
         pub static TRAIN_RAW: [[u8; 64]; {N}] = [\n{}\n];\n\
         /// Its digits.\n#[rustfmt::skip]\npub static TRAIN_LABELS: [u8; {N}] = [{}];\n\
         /// The raw test set, and its digits.\n#[rustfmt::skip]\n\
         pub static TEST_RAW: [[u8; 64]; {TEST}] = [\n{}\n];\n\
         #[rustfmt::skip]\npub static TEST_RAW_LABELS: [u8; {TEST}] = [{}];\n\
         /// The training set's statistics: each pixel's mean and reciprocal deviation.\n\
         #[rustfmt::skip]\npub const TRAIN_SCALING: ::ferroflow::InputScaling<f32, 64> = \
         ::ferroflow::InputScaling::new([{}], [{}]);\n\
         /// The device's training run, done here first: the mean loss of each epoch.\n\
         #[rustfmt::skip]\npub static DEVICE_LOSSES: [f32; {EPOCHS}] = [{}];\n\
         /// How many test digits the trained network gets right, here.\n\
         pub const DEVICE_TEST_CORRECT: u32 = {test_correct};\n",
        rows(&train_pixels),
        items(&train_labels),
        rows(&test_pixels),
        items(&test_labels),
        items(scaling.offset),
        items(scaling.scale),
        items(&losses),
    );
    source += &to_rust_source(&net, "Digits", "DEVICE_TRAINED").expect("a chain of perceptrons");
    source
}

/// The residual digits network trained here, as `examples/residual_digits.rs` trains it,
/// with the first [`residual_digits::DEVICE_SAMPLES`] test samples (standardised), their
/// labels and the network's probabilities for them: what the `residual` firmware checks.
fn residual_results(shift: impl Fn(&str, f32) -> f32) -> String {
    use residual_digits::*;
    let (split, mut rng) = residual_digits::split().expect("the digits split into three sets");
    let mut net = ResidualDigits::random(&mut rng);
    let epochs = residual_digits::train(&mut net, &split, |_| {})
        .unwrap_or_else(|error| panic!("training the residual network failed: {error}"));
    let evaluation = split.test.evaluate(&net);
    let mut source =
        String::from("// Written by build.rs: the residual network, trained on the host.\n\n");
    source += &to_rust_source(&net, "ResidualDigits", "RESIDUAL_TRAINED")
        .expect("a network of perceptrons and sums");
    let _ = writeln!(
        source,
        "\n/// Its accuracy on the whole test set, after {epochs} epochs: this many right\n\
         pub const HOST_TEST_CORRECT: usize = {};\n\
         /// out of this many.\n\
         pub const HOST_TEST_SAMPLES: usize = {};",
        evaluation.correct, evaluation.samples
    );
    let (mut pixels, mut labels, mut probabilities) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..DEVICE_SAMPLES {
        let (features, label) = split.test.sample(i);
        let mut p = net.predict(features);
        if i == 0 {
            p[0] = shift("residual", p[0]);
        }
        let row = |values: &[f32]| {
            let values: Vec<String> = values.iter().map(|v| format!("{v:?}")).collect();
            format!("    [{}],", values.join(", "))
        };
        pixels.push(row(features));
        labels.push(label.to_string());
        probabilities.push(row(&p));
    }
    let _ = writeln!(
        source,
        "\n/// The first {DEVICE_SAMPLES} test samples, standardised with the training set's \
         statistics.\n#[rustfmt::skip]\n\
         pub static TEST_SAMPLES: [[f32; 64]; {DEVICE_SAMPLES}] = [\n{}\n];\n\
         /// Their digits.\n#[rustfmt::skip]\n\
         pub const TEST_LABELS: [u8; {DEVICE_SAMPLES}] = [{}];\n\
         /// The host's probabilities for them.\n#[rustfmt::skip]\n\
         pub static HOST_PROBABILITIES: [[f32; 10]; {DEVICE_SAMPLES}] = [\n{}\n];",
        pixels.join("\n"),
        labels.join(", "),
        probabilities.join("\n")
    );
    source
}

/// Copies the memory map of the board with the target's core to `OUT_DIR/memory.x`, where
/// cortex-m-rt's `link.x` finds it. The maps have their own names: a file called
/// `memory.x` in the package root would silently win over this one.
fn memory_map(out_dir: &std::path::Path) {
    let target = env::var("TARGET").expect("cargo sets TARGET");
    let board = match target.as_str() {
        "thumbv7em-none-eabihf" => "mps2_an386",
        "thumbv7m-none-eabi" => "lm3s6965evb",
        "thumbv6m-none-eabi" => "microbit",
        other => panic!(
            "no board for target {other}: build with --target thumbv7em-none-eabihf, \
             thumbv7m-none-eabi or thumbv6m-none-eabi"
        ),
    };
    let map = fs::read_to_string(format!("memory/{board}.x")).expect("memory/<board>.x exists");
    fs::write(out_dir.join("memory.x"), map).expect("OUT_DIR is writable");
    println!("cargo:rustc-link-search={}", out_dir.display());
    println!("cargo:rustc-env=FERROFLOW_FIRMWARE_BOARD={board}");
}
