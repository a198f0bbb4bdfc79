//! Handwritten digits from MNIST (28 × 28 pixels): a 784 → 128 → 10 network trained with
//! Adam.
//!
//! ```text
//! cargo run --release --example mnist            # the 5,000-sample subset in data/, 80/20 split
//! cargo run --release --example mnist -- DIR     # the full MNIST: DIR holds train-images-idx3-ubyte,
//!                                                # train-labels-idx1-ubyte, t10k-images-idx3-ubyte and
//!                                                # t10k-labels-idx1-ubyte, each gzip-compressed (.gz) or not
//! ```
//!
//! Both go through the same IDX loader. It prints each epoch, the test accuracy, the
//! confusion matrix and the training time, saves the weights to `target/mnist.safetensors`,
//! quantises the network to int8 and prints its test accuracy, and fails unless the test
//! accuracy reaches 92% and the int8 network's is within 1 point of it.

use ferroflow::data::{DataError, Dataset};
use ferroflow::io::safetensors;
use ferroflow::optim::schedule::Cosine;
use ferroflow::prelude::*;
use ferroflow::quant::Int8;
use ferroflow::train::{EarlyStopping, Trainer};
use std::path::{Path, PathBuf};
use std::time::Instant;

network! {
    /// 28 × 28 pixels in, one probability per digit out.
    pub struct Mnist<f32> {
        input: 784,
        hidden: Perceptron<128, Relu>,
        output: Perceptron<10, Softmax>,
    }
}

type Digits = Dataset<f32, 784, 10>;

const SEED: u64 = 2026;
const EPOCHS: usize = 20;
const BATCH: usize = 32;
const LEARNING_RATE: f32 = 2e-3;
const TARGET: f64 = 0.92;
/// The most test accuracy quantising to int8 may cost (1 point).
const INT8_TOLERANCE: f64 = 0.01;

fn main() -> std::process::ExitCode {
    // Errors reach the user through their Display: which file, where, what was expected.
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("mnist: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut rng = SeededRng::seed_from_u64(SEED);
    let (train, mut test) = match std::env::args_os().nth(1) {
        Some(dir) => full_mnist(Path::new(&dir))?,
        None => {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
            let subset = Digits::from_idx(
                dir.join("mnist5k-images-idx3-ubyte.gz"),
                dir.join("mnist5k-labels-idx1-ubyte.gz"),
            )?;
            subset.split(0.2, &mut rng)?
        }
    };
    let (mut train, mut validation) = train.split(0.1, &mut rng)?;
    for set in [&mut train, &mut validation, &mut test] {
        set.scale(1.0 / 255.0);
    }
    println!(
        "mnist: {} training, {} validation, {} test samples (seed {SEED})",
        train.len(),
        validation.len(),
        test.len()
    );

    // The network and the optimizer's moments are large (101 770 parameters): on the heap.
    let mut net = Box::new(Mnist::random(&mut rng));
    let mut adam = Adam::new(LEARNING_RATE);
    println!(
        "network: 784 → 128 (ReLU) → 10 (softmax), {} parameters; Adam, learning rate \
         {LEARNING_RATE} on a cosine schedule, batches of {BATCH}",
        Mnist::PARAM_COUNT
    );
    let mut trainer = Trainer::new(&train, SEED)
        .batch_size::<BATCH>()
        .epochs(EPOCHS)
        .validation(&validation)
        .schedule(Cosine { epochs: EPOCHS, min: 1e-4 })
        .early_stopping(EarlyStopping::new(4));
    let started = Instant::now();
    while let Some(report) = trainer.epoch(&mut *net, &mut adam)? {
        println!("{report}");
    }
    let training_time = started.elapsed();

    let evaluation = test.evaluate(&*net);
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

    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/mnist.safetensors");
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder)?;
    }
    safetensors::save(&*net, &path, &[("format", "pt"), ("example", "mnist")])?;
    println!("saved the weights to {}", path.display());

    // The same network in int8, calibrated on 1000 training samples: integer arithmetic
    // only, a quarter of the bytes (what a microcontroller would run).
    let int8 = Box::new(Int8::quantise(&*net, train.features().iter().take(1000))?);
    let int8_correct = test
        .features()
        .iter()
        .zip(test.labels())
        .filter(|&(x, &label)| int8.classify(x) == label)
        .count();
    let int8_accuracy = int8_correct as f64 / test.len() as f64;
    println!(
        "int8: test accuracy {:.2}% ({int8_correct} of {}), {} bytes of parameters against {} in f32",
        100.0 * int8_accuracy,
        test.len(),
        int8.bytes(),
        Mnist::PARAM_COUNT * 4
    );

    if int8_accuracy < evaluation.accuracy - INT8_TOLERANCE {
        return Err(format!(
            "int8 test accuracy {:.2}% is more than {} point below f32's {:.2}%",
            100.0 * int8_accuracy,
            100.0 * INT8_TOLERANCE,
            100.0 * evaluation.accuracy
        )
        .into());
    }
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

/// The official training and test sets from a folder of the four MNIST files.
fn full_mnist(dir: &Path) -> Result<(Digits, Digits), DataError> {
    let file = |name: &str| {
        let gzip = dir.join(format!("{name}.gz"));
        if gzip.exists() { gzip } else { dir.join(name) }
    };
    let train = Digits::from_idx(file("train-images-idx3-ubyte"), file("train-labels-idx1-ubyte"))?;
    let test = Digits::from_idx(file("t10k-images-idx3-ubyte"), file("t10k-labels-idx1-ubyte"))?;
    Ok((train, test))
}
