//! A real CSV as people have it, all the way to a model that names what it sees: the Palmer
//! penguins (`data/penguins.csv`: the species as a string in the first column, string
//! columns to leave out, `NA` for missing values), raw measurements in, a species name out.
//!
//! - Loads the file with the species as label, `island`, `sex` and `year` left out, and
//!   the rows without measurements dropped.
//! - Scores the recipe by 5-fold cross-validation, then trains it on a stratified 80% and
//!   reports per-class precision, recall and F1 on the other 20%.
//! - The model standardises its raw inputs itself ([`Preprocessed`]): it is trained,
//!   evaluated, saved and reloaded on grams and millimetres as the file has them.
//! - Saves it with its class names ([`Classifier`]), then reloads it in a new process
//!   (`penguins predict FILE bill_length bill_depth flipper_length body_mass`), which must
//!   name the same species as the trained model for every test penguin.
//!
//! Run with `cargo run --release --example penguins`. Fails below 95% test accuracy.

use ferroflow::data::{Column, CsvOptions, Dataset, LabelColumn, Missing, Standardise};
use ferroflow::io::Classifier;
use ferroflow::prelude::*;
use ferroflow::train::{Trainer, cross_validate};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

network! {
    /// Four measurements → 16 (tanh) → three species (softmax).
    pub struct Species<f32> {
        input: 4,
        hidden: Perceptron<16, Tanh>,
        output: Perceptron<3, Softmax>,
    }
}

/// The model: raw measurements, standardised inside, into the network.
type Model = Preprocessed<f32, Species, 4>;
/// The penguins as the model reads them: four measurements, three species.
type Penguins = Dataset<f32, 4, 3>;

const SEED: u64 = 7;
const EPOCHS: usize = 60;
/// The test accuracy the example must reach.
const TARGET: f64 = 0.95;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        None => run(),
        Some("predict") => predict(&args[1..]),
        Some(_) => Err("usage: penguins [predict FILE BILL_LENGTH BILL_DEPTH FLIPPER MASS]".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("penguins: {error}");
            ExitCode::FAILURE
        }
    }
}

fn data_file() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/penguins.csv")
}

/// A model trained on `train` from `seed`: the scaling fitted on `train` alone.
fn train(train: &Penguins, seed: u64) -> Result<Model> {
    let scaling = Standardise::fit(train).scaling();
    let mut model = Model::new(scaling, Species::random(&mut SeededRng::seed_from_u64(seed)));
    let mut adam = Adam::new(0.01);
    let mut trainer = Trainer::new(train, seed).batch_size::<16>().epochs(EPOCHS).quiet();
    while trainer.epoch(&mut model, &mut adam)?.is_some() {}
    Ok(model)
}

fn run() -> Result<()> {
    let options = CsvOptions {
        label: LabelColumn::Name("species".into()),
        ignore: ["island", "sex", "year"].map(|name| Column::Name(name.into())).to_vec(),
        missing: Missing::Drop,
        ..CsvOptions::default()
    };
    let (data, report) = Penguins::from_csv_report(data_file(), options)?;
    let names = data.class_names().unwrap_or_default().to_vec();
    println!(
        "{} penguins ({} rows without measurements dropped), classes {names:?}, counts {:?}",
        report.samples,
        report.dropped,
        data.class_counts()
    );

    let scores = cross_validate(&data, 5, SEED, |train, validation| {
        Ok::<_, Box<dyn std::error::Error>>(
            validation.evaluate(&self::train(train, SEED)?).scores(),
        )
    })?;
    println!("\n5-fold cross-validation, {EPOCHS} epochs of Adam per fold:\n{scores}");

    let (train_set, test) = data.stratified_split(0.2, &mut SeededRng::seed_from_u64(SEED))?;
    let model = train(&train_set, SEED)?;
    let evaluation = test.evaluate(&model);
    println!(
        "\ntrained on {} penguins, tested on {}:\n{}",
        train_set.len(),
        test.len(),
        evaluation.report().with_names(&names)
    );

    let classifier = Classifier::from_dataset(model, &train_set);
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/penguins/penguins.safetensors");
    classifier.save(&file)?;
    println!("saved the model, its scaling and its class names to {}", file.display());

    // Another process loads the file and names every test penguin from its raw
    // measurements: the same names as the model here.
    let exe = std::env::current_exe()?;
    for i in 0..test.len() {
        let sample = test.sample(i).0;
        let mut command = Command::new(&exe);
        command.arg("predict").arg(&file).args(sample.map(|v| v.to_string()));
        let output = command.output()?;
        let answer = String::from_utf8(output.stdout)?.trim().to_owned();
        let expected = classifier.predict_label(sample);
        if !output.status.success() || answer != expected {
            return Err(format!(
                "the reloaded model named penguin {i} {answer:?}, not {expected:?}"
            )
            .into());
        }
    }
    let first = test.sample(0).0;
    println!(
        "reloaded in {} new processes: the same species for every test penguin \
         (penguin 0, {first:?}: {})",
        test.len(),
        classifier.predict_label(first)
    );
    if evaluation.accuracy < TARGET {
        return Err(format!(
            "test accuracy {:.1}% is below {:.0}%",
            100.0 * evaluation.accuracy,
            100.0 * TARGET
        )
        .into());
    }
    Ok(())
}

/// `predict FILE` and four raw measurements: prints the species the saved model names.
fn predict(args: &[String]) -> Result<()> {
    let [file, measurements @ ..] = args else { return Err("predict needs a file".into()) };
    let values: Vec<f32> =
        measurements.iter().map(|v| v.parse()).collect::<std::result::Result<_, _>>()?;
    let sample: [f32; 4] = values
        .try_into()
        .map_err(|v: Vec<f32>| format!("expected 4 measurements, found {}", v.len()))?;
    let classifier = Classifier::<Model, 3>::load(file)?;
    println!("{}", classifier.predict_label(&sample));
    Ok(())
}
