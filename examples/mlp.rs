//! The README's main job: the tutorial's part V. A multi-layer perceptron learns the
//! XOR-like red/blue clusters, which no straight line separates.
//!
//! Run with `cargo run --release --example mlp`. It prints the loss every 100 steps and the
//! training accuracy, draws the learned decision boundary in the terminal, and writes it
//! as a PNG with the points on it (`target/mlp-decision-boundary.png`, or the path given
//! as the first argument).

use ferroflow::clusters::{self, Clusters};
use ferroflow::data::Dataset;
use ferroflow::prelude::*;
use plotters::prelude::*;
use std::io::IsTerminal;
use std::path::PathBuf;

// ANCHOR: network
network! {
    /// The tutorial's multi-layer perceptron, with a wider hidden layer: 2 → 16 → 2.
    pub struct RedBlue<f32> {
        input: 2,
        hidden: Perceptron<16, Sigmoid>,
        output: Perceptron<2, Softmax>,
    }
}
// ANCHOR_END: network

/// The default seed; `--seed N` picks another.
const SEED: u64 = 2;
const STEPS: usize = 1000;
/// The loss is a mean over the batch, so this is the tutorial's 0.03 on a summed loss of
/// 100 points, scaled by 100.
const LEARNING_RATE: f32 = 3.0;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (seed, path) = arguments()?;
    let mut rng = SeededRng::seed_from_u64(seed);
    println!(
        "seed {seed}: 100 points in four clusters, red round (0, 0) and (1, 1), blue round (0, 1) and (1, 0)"
    );
    let data: Clusters<f32, 100> = clusters::xor(&mut rng);
    // The same points as a data set, for its evaluation.
    let dataset = Dataset::try_from(&data)?;

    // ANCHOR: train
    let mut net = RedBlue::random(&mut rng);
    println!(
        "network: 2 → 16 (sigmoid) → 2 (softmax), {} parameters; gradient descent, learning rate {LEARNING_RATE}",
        RedBlue::PARAM_COUNT
    );
    let mut sgd = GradientDescent::new(LEARNING_RATE);
    for step in 0..=STEPS {
        let loss = if step < STEPS {
            net.train_step(&data.points, &data.labels, &mut sgd)
        } else {
            net.loss(&data.points, &data.labels)
        };
        if step % 100 == 0 {
            println!(
                "step {step:>5}  loss {loss:.5}  accuracy {:>5.1}%",
                100.0 * dataset.evaluate(&net).accuracy
            );
        }
    }
    // ANCHOR_END: train
    let evaluation = dataset.evaluate(&net);
    let accuracy = evaluation.accuracy;
    println!(
        "training accuracy: {:.1}% ({} of {} points)",
        100.0 * accuracy,
        evaluation.correct,
        evaluation.samples
    );

    let points: Vec<(f64, f64, usize)> = (0..100)
        .map(|i| (data.points[(i, 0)] as f64, data.points[(i, 1)] as f64, data.class(i)))
        .collect();
    let classify = |x: f64, y: f64| net.classify(&[x as f32, y as f32]);
    let (x_range, y_range) = ((-0.75, 1.75), (-0.75, 1.75));
    let colour = std::io::stdout().is_terminal() || std::env::var_os("CI").is_some();
    let legend = if colour {
        "red region and dots: class 0; blue: class 1"
    } else {
        "blank: class 0 (red), ░: class 1 (blue); o and x: the red and blue points"
    };
    println!("\nthe learned decision boundary over [-0.75, 1.75]² ({legend}):");
    println!(
        "{}",
        ferroflow::plot::decision_map(classify, &points, x_range, y_range, 64, 24, colour)
    );

    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder)?;
    }
    draw_png(&path, &classify, &points, x_range, y_range)?;
    println!("wrote {}", path.display());

    // The README promises 100% for the default seed; other draws of the data may put a
    // point inside the other class's cluster, which 1000 steps need not carve out.
    if accuracy < 1.0 {
        let message = format!("training accuracy {:.1}%, not 100%", 100.0 * accuracy);
        if seed == SEED {
            return Err(message.into());
        }
        println!("note: {message} for this seed (seed {SEED} reaches 100%)");
    }
    Ok(())
}

/// `[--seed N] [PNG path]`.
fn arguments() -> Result<(u64, PathBuf), Box<dyn std::error::Error>> {
    let mut seed = SEED;
    let mut path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/mlp-decision-boundary.png");
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--seed" {
            let value = args.next().ok_or("--seed needs a number")?;
            seed = value.parse().map_err(|_| format!("--seed needs a number, not {value:?}"))?;
        } else {
            path = PathBuf::from(arg);
        }
    }
    Ok((seed, path))
}

/// The decision regions as a shaded background, with the data on top.
fn draw_png(
    path: &std::path::Path,
    classify: &impl Fn(f64, f64) -> usize,
    points: &[(f64, f64, usize)],
    x_range: (f64, f64),
    y_range: (f64, f64),
) -> Result<(), Box<dyn std::error::Error>> {
    const SIZE: u32 = 480;
    let root = BitMapBackend::new(path, (SIZE, SIZE)).into_drawing_area();
    root.fill(&WHITE)?;
    let to_pixel = |x: f64, y: f64| {
        let px = (x - x_range.0) / (x_range.1 - x_range.0) * SIZE as f64;
        let py = (1.0 - (y - y_range.0) / (y_range.1 - y_range.0)) * SIZE as f64;
        (px as i32, py as i32)
    };
    let regions = [RGBColor(250, 200, 200), RGBColor(200, 210, 250)];
    for py in 0..SIZE {
        for px in 0..SIZE {
            let x = x_range.0 + (px as f64 + 0.5) / SIZE as f64 * (x_range.1 - x_range.0);
            let y = y_range.1 - (py as f64 + 0.5) / SIZE as f64 * (y_range.1 - y_range.0);
            root.draw_pixel((px as i32, py as i32), &regions[classify(x, y).min(1)])?;
        }
    }
    let colours = [RGBColor(200, 30, 30), RGBColor(30, 60, 200)];
    for &(x, y, class) in points {
        root.draw(&Circle::new(to_pixel(x, y), 5, colours[class.min(1)].filled()))?;
        root.draw(&Circle::new(to_pixel(x, y), 5, BLACK.stroke_width(1)))?;
    }
    root.present()?;
    Ok(())
}
