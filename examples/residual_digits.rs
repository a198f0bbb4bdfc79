//! A network that needs the graph: a residual MLP on the handwritten digits, each block
//! adding its input back (`skip1: Sum(stem, block1)`), trained beside the plain MLP of
//! `examples/digits.rs` on the same split, from the same seed, with the same optimizer,
//! and compared on the test set.
//!
//! Run with `cargo run --release --example residual_digits`. The network and the recipe
//! are in `examples/firmware/src/residual_digits.rs`, which the firmware shares: its
//! `residual` image runs the same network, trained the same way, on a Cortex-M4F, M3 and
//! M0 under QEMU. Fails unless the residual network reaches 97% on the test set.

#[path = "firmware/src/residual_digits.rs"]
mod residual_digits;

use ferroflow::prelude::*;
use ferroflow::train::TrainError;
use residual_digits::{PlainDigits, ResidualDigits, Split};
use std::time::Instant;

/// The accuracy the residual network must reach on the test set.
const TARGET: f64 = 0.97;

fn main() -> std::process::ExitCode {
    let (split, mut rng) = match residual_digits::split() {
        Ok(split) => split,
        Err(error) => {
            eprintln!("residual_digits: {error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    println!(
        "digits: {} training, {} validation, {} test samples (seed {})",
        split.train.len(),
        split.validation.len(),
        split.test.len(),
        residual_digits::SEED
    );
    println!(
        "Adam (learning rate {}, weight decay {}), batches of {}, at most {} epochs, early \
         stopping after 10 without a better validation loss\n",
        residual_digits::LEARNING_RATE,
        residual_digits::WEIGHT_DECAY,
        residual_digits::BATCH,
        residual_digits::EPOCHS
    );
    // The residual network first: the firmware's build script draws its weights first too.
    let mut residual = ResidualDigits::random(&mut rng);
    let mut plain = PlainDigits::random(&mut rng);
    let (residual_result, plain_result) = match train("residual", &mut residual, &split)
        .and_then(|residual| Ok((residual, train("plain", &mut plain, &split)?)))
    {
        Ok(results) => results,
        Err(error) => {
            eprintln!("residual_digits: {error}");
            return std::process::ExitCode::FAILURE;
        }
    };

    println!(
        "\n{:<52} {:>10} {:>8} {:>14} {:>10}",
        "", "parameters", "epochs", "test accuracy", "test loss"
    );
    for (name, parameters, result) in [
        ("plain: 64 → 32 (sigmoid) → 10", PlainDigits::PARAM_COUNT, &plain_result),
        (
            "residual: 64 → 32 (ReLU) → 2 × [32 (tanh) + skip] → 10",
            ResidualDigits::PARAM_COUNT,
            &residual_result,
        ),
    ] {
        println!(
            "{name:<52} {parameters:>10} {:>8} {:>13.2}% {:>10.4}",
            result.epochs,
            100.0 * result.accuracy,
            result.loss
        );
    }
    println!(
        "\nthe firmware's `residual` image runs the same network, trained the same way, on the \
         first {} of these test samples: bash examples/firmware/run.sh",
        residual_digits::DEVICE_SAMPLES
    );
    if residual_result.accuracy < TARGET {
        eprintln!(
            "residual_digits: test accuracy {:.2}% is below {:.0}%",
            100.0 * residual_result.accuracy,
            100.0 * TARGET
        );
        return std::process::ExitCode::FAILURE;
    }
    std::process::ExitCode::SUCCESS
}

/// What one network reached.
struct Outcome {
    epochs: usize,
    accuracy: f64,
    loss: f64,
}

fn train<Net: Network<f32, 64, 10>>(
    name: &str,
    net: &mut Net,
    split: &Split,
) -> Result<Outcome, TrainError> {
    let started = Instant::now();
    let epochs = residual_digits::train(net, split, |report| {
        if report.epoch % 10 == 0 || report.stop.is_some() {
            println!("{name:>8}: {report}");
        }
    })?;
    let evaluation = split.test.evaluate(net);
    println!(
        "{name:>8}: {epochs} epochs in {:.2} s, test accuracy {:.2}% ({} of {})",
        started.elapsed().as_secs_f64(),
        100.0 * evaluation.accuracy,
        evaluation.correct,
        evaluation.samples
    );
    Ok(Outcome { epochs, accuracy: evaluation.accuracy, loss: evaluation.loss })
}
