//! Runs on the host before the firmware compiles. It
//! - picks the memory map of the board that has the target's core;
//! - trains the network on the host (seed [`red_blue::HOST_SEED`]) and writes its weights
//!   as `const` Rust source, to be baked into flash, with its predictions for the fixed
//!   inputs;
//! - runs the device's training (seed [`red_blue::DEVICE_SEED`]) here first, and writes
//!   the losses, final weights and accuracy the device must reproduce.
//!
//! `FERROFLOW_FIRMWARE_PERTURB=prediction|loss|weight|accuracy` shifts one expected value
//! just past the tolerance, to show that the firmware's check fails when it should.

#[allow(dead_code)]
#[path = "src/red_blue.rs"]
mod red_blue;

#[allow(dead_code)]
#[path = "src/residual_digits.rs"]
mod residual_digits;

use ferroflow::io::to_rust_source;
use red_blue::*;
use std::fmt::Write;
use std::path::PathBuf;
use std::{env, fs};

fn main() {
    println!("cargo:rerun-if-changed=src/red_blue.rs");
    println!("cargo:rerun-if-changed=src/residual_digits.rs");
    println!("cargo:rerun-if-changed=memory");
    println!("cargo:rerun-if-env-changed=FERROFLOW_FIRMWARE_PERTURB");
    let out_dir = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    memory_map(&out_dir);
    let perturb = env::var("FERROFLOW_FIRMWARE_PERTURB").unwrap_or_default();
    let shift = |what: &str, value: f32| {
        if perturb == what { value + 2.0 * TOLERANCE.max(value.abs() * 1e-6) } else { value }
    };
    if !matches!(perturb.as_str(), "" | "prediction" | "loss" | "weight" | "accuracy" | "residual")
    {
        panic!(
            "FERROFLOW_FIRMWARE_PERTURB={perturb}: expected prediction, loss, weight, accuracy \
             or residual"
        );
    }

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
    let correct = correct(&net, &device_batches) + usize::from(perturb == "accuracy");
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
