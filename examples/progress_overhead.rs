//! What the training progress bar costs: trains the digits 64 → 32 → 10 for a number of
//! epochs with the bar (`bar`) or without it (`quiet`) and appends the training time in
//! seconds to a file, so that the terminal receives nothing but the bar: the wall-clock
//! time, and on Linux the time the thread spent on a processor (`/proc/self/schedstat`),
//! which other programs on a busy machine disturb less.
//!
//! ```text
//! cargo build --release --example progress_overhead
//! script -qc "target/release/examples/progress_overhead bar 400 times.txt" /dev/null | wc -c
//! target/release/examples/progress_overhead quiet 400 times.txt
//! ```
//!
//! `script` (util-linux) runs it under a pseudo-terminal, so the bar is drawn as in a
//! terminal; `wc -c` counts the bytes it wrote there. `benches/progress/run.sh` alternates
//! the two, and BENCHMARKS.md has the results. Without arguments (as CI runs it) it trains
//! 20 epochs each way and prints both lines.

use ferroflow::prelude::*;
use ferroflow::train::Trainer;
use std::io::Write;
use std::time::Instant;

network! {
    /// 8 × 8 pixels in, one probability per digit out.
    struct Digits<f32> {
        input: 64,
        hidden: Perceptron<32, Sigmoid>,
        output: Perceptron<10, Softmax>,
    }
}

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: progress_overhead [bar|quiet EPOCHS TIMES_FILE]";
    // Without arguments (as CI runs every example): both ways, 20 epochs each, into
    // target/progress-overhead.txt; standard error is not a terminal there, so the bar
    // hides itself and this only shows that the program runs.
    let runs = match &args[..] {
        [] => {
            let file = concat!(env!("CARGO_MANIFEST_DIR"), "/target/progress-overhead.txt");
            vec![("bar".to_owned(), 20, file.to_owned()), ("quiet".to_owned(), 20, file.to_owned())]
        }
        [mode, epochs, times] if mode == "bar" || mode == "quiet" => match epochs.parse() {
            Ok(epochs) => vec![(mode.clone(), epochs, times.clone())],
            Err(_) => {
                eprintln!("{usage}");
                return std::process::ExitCode::FAILURE;
            }
        },
        _ => {
            eprintln!("{usage}");
            return std::process::ExitCode::FAILURE;
        }
    };
    for (mode, epochs, times) in runs {
        let line = train(&mode, epochs);
        let appended = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&times)
            .and_then(|mut file| writeln!(file, "{line}"));
        if let Err(error) = appended {
            eprintln!("progress_overhead: {times}: {error}");
            return std::process::ExitCode::FAILURE;
        }
        println!("{line}");
    }
    std::process::ExitCode::SUCCESS
}

/// Trains for `epochs` with the bar or quietly: "mode wall-clock cpu loss".
fn train(mode: &str, epochs: usize) -> String {
    let quiet = mode == "quiet";
    let mut data = ferroflow::data::digits::<f32>();
    data.scale(1.0 / 16.0);
    let mut net = Digits::random(&mut SeededRng::seed_from_u64(1));
    let mut adam = Adam::new(0.001);
    let mut trainer = Trainer::new(&data, 7).batch_size::<32>().epochs(epochs);
    if quiet {
        trainer = trainer.quiet();
    }
    let (started, cpu_started) = (Instant::now(), cpu_seconds());
    let mut last = None;
    while let Some(report) = trainer.epoch(&mut net, &mut adam).expect("training converges") {
        last = Some(report.train.loss);
    }
    let seconds = started.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - cpu_started;
    let loss = last.unwrap_or(f64::NAN);
    format!("{mode} {seconds:.6} {cpu:.6} {loss:.4}")
}

/// The time this thread has run on a processor, in seconds (NaN where Linux's
/// `/proc/self/schedstat` is missing).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/schedstat").unwrap_or_default();
    let nanos = stat.split_whitespace().next().and_then(|n| n.parse::<f64>().ok());
    nanos.map_or(f64::NAN, |n| n / 1e9)
}
