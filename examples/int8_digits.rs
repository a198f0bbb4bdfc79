//! Int8 inference of the digits network: train 64 → 32 → 10 in `f32`, quantise it after
//! training (calibrated on the training set), and compare the two on the held-out test set.
//!
//! ```text
//! cargo run --release --example int8_digits
//! ```
//!
//! It prints both accuracies, how many test digits the two networks classify differently,
//! and the bytes of each network's parameters; it writes the int8 network as `const` Rust
//! source to `target/digits_int8.rs` (what a firmware includes), and fails if the int8
//! accuracy is more than 1 point below the float network's.

use ferroflow::data::{self, Standardise};
use ferroflow::prelude::*;
use ferroflow::quant::Int8;
use ferroflow::train::{EarlyStopping, Trainer};
use std::path::PathBuf;

network! {
    /// 8 × 8 pixels in, one probability per digit out (the `digits` example's network).
    pub struct Digits<f32> {
        input: 64,
        hidden: Perceptron<32, Sigmoid>,
        output: Perceptron<10, Softmax>,
    }
}

const SEED: u64 = 2026;
/// The most accuracy quantisation may cost, in points.
const TOLERANCE: f64 = 1.0;

fn main() -> std::process::ExitCode {
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("int8_digits: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut rng = SeededRng::seed_from_u64(SEED);
    let (train, mut test) = data::digits::<f32>().split(0.2, &mut rng)?;
    let (mut train, mut validation) = train.split(0.1, &mut rng)?;
    let standardise = Standardise::fit(&train);
    for set in [&mut train, &mut validation, &mut test] {
        standardise.apply(set);
    }

    let mut net = Digits::random(&mut rng);
    let mut adam = Adam::new(0.005).with_weight_decay(1e-3);
    let mut trainer = Trainer::new(&train, SEED)
        .batch_size::<32>()
        .epochs(60)
        .validation(&validation)
        .early_stopping(EarlyStopping::new(10));
    while trainer.epoch(&mut net, &mut adam)?.is_some() {}

    // Calibration: the ranges each node takes on the training samples.
    let int8 = Int8::quantise(&net, train.features())?;

    let (mut float_right, mut int8_right, mut disagree) = (0, 0, 0);
    for (x, &label) in test.features().iter().zip(test.labels()) {
        let float_class = net.classify(x);
        let int8_class = int8.classify(x);
        float_right += usize::from(float_class == label);
        int8_right += usize::from(int8_class == label);
        disagree += usize::from(float_class != int8_class);
    }
    let n = test.len();
    let float_accuracy = 100.0 * float_right as f64 / n as f64;
    let int8_accuracy = 100.0 * int8_right as f64 / n as f64;
    println!("digits, {n} test samples (seed {SEED}):");
    println!("  f32:  accuracy {float_accuracy:.2}% ({float_right} of {n})");
    println!("  int8: accuracy {int8_accuracy:.2}% ({int8_right} of {n})");
    println!("  the two classify {disagree} of {n} test digits differently");
    println!(
        "  parameters: f32 {} bytes, int8 {} bytes (weights, biases, multipliers, sigmoid table)",
        Digits::PARAM_COUNT * 4,
        int8.bytes()
    );

    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/digits_int8.rs");
    std::fs::create_dir_all(path.parent().unwrap_or(&path))?;
    std::fs::write(&path, ferroflow::io::int8_to_rust_source(&int8, "Digits", "DIGITS")?)?;
    println!("wrote the int8 network as Rust source to {}", path.display());

    if int8_accuracy < float_accuracy - TOLERANCE {
        return Err(format!(
            "int8 accuracy {int8_accuracy:.2}% is more than {TOLERANCE} point below f32's \
             {float_accuracy:.2}%"
        )
        .into());
    }
    Ok(())
}
