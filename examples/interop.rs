//! Weights that travel between ferroflow and Python (numpy, PyTorch): both directions of
//! a safetensors round trip, checked by `scripts/pytorch_interop.py`.
//!
//! ```text
//! cargo run --release --example interop -- write target/interop   # ferroflow writes
//! python3 scripts/pytorch_interop.py check target/interop         # numpy predicts the same
//! python3 scripts/pytorch_interop.py write target/interop         # numpy writes
//! cargo run --release --example interop -- check target/interop   # ferroflow predicts the same
//! ```
//!
//! Without arguments it checks the Rust half alone: it writes into `target/interop` and
//! loads the file back into a fresh network, which must predict the same.
//!
//! The model takes raw inputs: a per-feature scaling, then a 4 → 8 (sigmoid) → 3 (softmax)
//! network. Its state dict holds `preprocess.offset` `[4]` and `preprocess.scale` `[4]`
//! (the model computes `(x − offset) · scale` first), then `hidden.weight` `[8, 4]`,
//! `hidden.bias` `[8]`, `output.weight` `[3, 8]`, `output.bias` `[3]`, in float32, as a
//! PyTorch `nn.Sequential` of two `nn.Linear` layers renamed so would. Raw inputs and the
//! predictions of the side that wrote the weights travel beside them in JSON
//! (`*_cases.json`), with every float printed so that it reads back exactly: the other
//! side predicts from the file alone.

use ferroflow::io::safetensors;
use ferroflow::prelude::*;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

network! {
    /// The network both sides compute.
    pub struct Interop<f32> {
        input: 4,
        hidden: Perceptron<8, Sigmoid>,
        output: Perceptron<3, Softmax>,
    }
}

/// The number of input rows that travel with the weights.
const CASES: usize = 6;
/// The largest difference allowed between the two sides' predictions: a few f32 roundings
/// of probabilities below 1.
const TOLERANCE: f64 = 1e-6;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["write", dir] => write(Path::new(dir)),
        ["check", dir] => check(Path::new(dir)),
        [] => round_trip(),
        _ => Err("usage: interop [(write | check) DIR]".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("interop: {error}");
            ExitCode::FAILURE
        }
    }
}

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// The model both sides compute: raw inputs, scaled, into the network.
type Model = Preprocessed<f32, Interop, 4>;

fn zeros() -> Model {
    Preprocessed::new(InputScaling::identity(), Interop::zeros())
}

/// Writes a seeded model and its predictions on seeded raw inputs.
fn write(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut rng = SeededRng::seed_from_u64(2026);
    let uniform = |rng: &mut SeededRng, low, high| ferroflow::init::uniform(rng, low, high) as f32;
    let offset: [f32; 4] = std::array::from_fn(|_| uniform(&mut rng, -50.0, 50.0));
    let scale: [f32; 4] = std::array::from_fn(|_| uniform(&mut rng, 0.1, 1.0));
    let mut net = Model::new(InputScaling::new(offset, scale), Interop::random(&mut rng));
    // Non-zero biases, so that their layout is checked too.
    net.for_each_param_mut(&mut |name, values| {
        if name.tensor == "bias" {
            for v in values {
                *v = ferroflow::init::uniform(&mut rng, -1.0, 1.0) as f32;
            }
        }
    });
    // Raw inputs: within two units of each feature's scaled range around its offset.
    let x: Matrix<f32, CASES, 4> =
        Matrix::from_fn(|_, c| offset[c] + uniform(&mut rng, -2.0, 2.0) / scale[c]);
    let predictions = net.forward(&x);

    let weights = dir.join("ferroflow.safetensors");
    safetensors::save(&net, &weights, &[("format", "pt"), ("writer", "ferroflow")])?;
    let cases = json!({ "inputs": rows(&x), "outputs": rows(&predictions) });
    std::fs::write(dir.join("ferroflow_cases.json"), cases.to_string())?;
    println!("wrote {} and ferroflow_cases.json ({CASES} cases)", weights.display());
    Ok(())
}

/// Writes, then loads what was written into a zeroed network: the same predictions, bit
/// for bit.
fn round_trip() -> Result<()> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/interop");
    write(&dir)?;
    let mut net = zeros();
    safetensors::load(&mut net, dir.join("ferroflow.safetensors"))?;
    let cases: Value = serde_json::from_slice(&std::fs::read(dir.join("ferroflow_cases.json"))?)?;
    let x: Matrix<f32, CASES, 4> = matrix(&cases["inputs"])?;
    let expected: Matrix<f32, CASES, 3> = matrix(&cases["outputs"])?;
    if net.forward(&x) != expected {
        return Err("the reloaded network predicts differently".into());
    }
    println!("reloaded it: the same {} predictions, bit for bit", CASES * 3);
    println!("for the Python half: python3 scripts/pytorch_interop.py check {}", dir.display());
    Ok(())
}

/// Loads the network numpy wrote and compares predictions with numpy's.
fn check(dir: &Path) -> Result<()> {
    let weights: PathBuf = dir.join("python.safetensors");
    let mut net = zeros();
    safetensors::load(&mut net, &weights)?;
    let cases: Value = serde_json::from_slice(&std::fs::read(dir.join("python_cases.json"))?)?;
    let x: Matrix<f32, CASES, 4> = matrix(&cases["inputs"])?;
    let expected: Matrix<f32, CASES, 3> = matrix(&cases["outputs"])?;
    let predictions = net.forward(&x);
    let worst = predictions
        .iter()
        .zip(expected.iter())
        .map(|(&a, &b)| (f64::from(a) - f64::from(b)).abs())
        .fold(0.0, f64::max);
    let agree = predictions
        .iter()
        .zip(expected.iter())
        .filter(|(a, b)| (f64::from(**a) - f64::from(**b)).abs() <= TOLERANCE);
    println!(
        "loaded {}: {} of {} predictions agree with numpy's (largest difference {worst:.2e})",
        weights.display(),
        agree.count(),
        CASES * 3
    );
    if worst > TOLERANCE {
        return Err(format!("predictions differ from numpy's by {worst:e} > {TOLERANCE:e}").into());
    }
    let classes = net.classify_batch(&x);
    let expected_classes = ferroflow::matrix::argmax_rows(&expected);
    if classes != expected_classes {
        return Err(format!("classes {classes:?}, numpy's {expected_classes:?}").into());
    }
    Ok(())
}

/// A matrix as JSON rows; `f32`'s `Display` is the shortest decimal that reads back
/// exactly, which a JSON number carries unchanged.
fn rows<const R: usize, const C: usize>(m: &Matrix<f32, R, C>) -> Value {
    let rows: Vec<Vec<Value>> = (0..R)
        .map(|r| (0..C).map(|c| serde_json::from_str(&m[(r, c)].to_string()).unwrap()).collect())
        .collect();
    json!(rows)
}

fn matrix<const R: usize, const C: usize>(value: &Value) -> Result<Matrix<f32, R, C>> {
    let rows = value
        .as_array()
        .filter(|rows| rows.len() == R)
        .ok_or_else(|| format!("expected {R} rows"))?;
    let mut m = Matrix::<f32, R, C>::zeros();
    for (r, row) in rows.iter().enumerate() {
        let row = row
            .as_array()
            .filter(|row| row.len() == C)
            .ok_or_else(|| format!("expected {C} columns"))?;
        for (c, v) in row.iter().enumerate() {
            m[(r, c)] = v.as_f64().ok_or("expected a number")? as f32;
        }
    }
    Ok(m)
}
