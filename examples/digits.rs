//! Handwritten digits (8 × 8 pixels, the UCI set scikit-learn ships as `load_digits`):
//! a 64 → 32 → 10 network trained with Adam on 80% of the 1797 samples, tested on the
//! other 20%.
//!
//! Run with `cargo run --release --example digits [WEIGHTS]`. It prints each epoch, the
//! test accuracy, the confusion matrix and the training time, and saves the weights as
//! safetensors (`target/digits.safetensors`, or the path given) and as Rust source beside
//! it (`digits.rs`: `const` arrays and `DIGITS: Digits`). It fails unless the test accuracy
//! reaches 97%.

use ferroflow::data::{self, Standardise};
use ferroflow::io::safetensors;
use ferroflow::prelude::*;
use ferroflow::train::{EarlyStopping, Trainer};
use std::path::PathBuf;
use std::time::Instant;

network! {
    /// 8 × 8 pixels in, one probability per digit out.
    pub struct Digits<f32> {
        input: 64,
        hidden: Perceptron<32, Sigmoid>,
        output: Perceptron<10, Softmax>,
    }
}

const SEED: u64 = 2026;
const EPOCHS: usize = 60;
const BATCH: usize = 32;
const LEARNING_RATE: f32 = 0.005;
const TARGET: f64 = 0.97;

fn main() -> std::process::ExitCode {
    // Errors reach the user through their Display: which file, where, what was expected.
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("digits: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut rng = SeededRng::seed_from_u64(SEED);
    let (train, mut test) = data::digits::<f32>().split(0.2, &mut rng)?;
    let (mut train, mut validation) = train.split(0.1, &mut rng)?;
    // Statistics from the training samples only, applied to all three sets.
    let standardise = Standardise::fit(&train);
    for set in [&mut train, &mut validation, &mut test] {
        standardise.apply(set);
    }
    println!(
        "digits: {} training, {} validation, {} test samples (seed {SEED})",
        train.len(),
        validation.len(),
        test.len()
    );

    let mut net = Digits::random(&mut rng);
    let mut adam = Adam::new(LEARNING_RATE).with_weight_decay(1e-3);
    println!(
        "network: 64 → 32 (sigmoid) → 10 (softmax), {} parameters; Adam (learning rate {LEARNING_RATE}, weight decay 1e-3), batches of {BATCH}",
        Digits::PARAM_COUNT
    );
    let mut trainer = Trainer::new(&train, SEED)
        .batch_size::<BATCH>()
        .epochs(EPOCHS)
        .validation(&validation)
        .early_stopping(EarlyStopping::new(10));
    let started = Instant::now();
    while let Some(report) = trainer.epoch(&mut net, &mut adam)? {
        println!("{report}");
    }
    let training_time = started.elapsed();

    let evaluation = test.evaluate(&net);
    println!(
        "\ntest: accuracy {:.2}% ({} of {}), loss {:.4}",
        100.0 * evaluation.accuracy,
        evaluation.correct,
        evaluation.samples,
        evaluation.loss
    );
    println!(
        "confusion matrix (rows: true digit, columns: predicted digit):\n{}",
        evaluation.confusion
    );
    println!(
        "training time: {:.2} s for {} epochs",
        training_time.as_secs_f64(),
        trainer.completed()
    );

    let path = std::env::args_os().nth(1).map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/digits.safetensors")
    });
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder)?;
    }
    safetensors::save(&net, &path, &[("format", "pt"), ("example", "digits")])?;
    println!("saved the weights to {}", path.display());
    // The same weights as Rust source, to compile into firmware with `include!`.
    let source = path.with_extension("rs");
    std::fs::write(&source, ferroflow::io::to_rust_source(&net, "Digits", "DIGITS")?)?;
    println!("and as Rust source to {}", source.display());

    if evaluation.accuracy < TARGET {
        return Err(format!(
            "test accuracy {:.2}% is below {:.0}%",
            100.0 * evaluation.accuracy,
            100.0 * TARGET
        )
        .into());
    }
    Ok(())
}
