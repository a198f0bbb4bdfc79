//! The fuzz targets' checks (`fuzz/checks.rs`, shared with the fuzz crate) run on stable
//! over the seeds and every input saved in `fuzz/regressions/<target>/`, so a crash that
//! fuzzing found once stays a test. The seeds come from `fuzz/seed_writers.rs`; the
//! committed copies in `fuzz/seeds/` must match them (rewrite them with
//! `FERROFLOW_WRITE_SEEDS=1 cargo test --test fuzz_regressions`).
#![cfg(feature = "std")]

#[path = "../fuzz/checks.rs"]
mod checks;
#[path = "../fuzz/seed_writers.rs"]
mod seed_writers;

use ferroflow::io::safetensors;
use std::collections::BTreeMap;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

/// `fuzz/` of this repository.
fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

/// The files in `dir` (none if it does not exist), sorted, without hidden files
/// (`.gitkeep`) and READMEs.
fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut files: Vec<PathBuf> = entries
        .map(|entry| entry.expect("a readable folder").path())
        .filter(|path| {
            let name = path.file_name().and_then(|name| name.to_str()).unwrap_or(".");
            path.is_file() && !name.starts_with('.') && name != "README.md"
        })
        .collect();
    files.sort();
    files
}

/// Runs `target`'s check on every file in `fuzz/<folder>/<target>/`, and fails naming each
/// file whose check panicked. Returns how many files it ran.
fn replay(folder: &str) -> usize {
    let mut failed = Vec::new();
    let mut count = 0;
    for (target, check) in checks::TARGETS {
        for file in files(&fuzz_dir().join(folder).join(target)) {
            let bytes = std::fs::read(&file).expect("a readable file");
            count += 1;
            if panic::catch_unwind(AssertUnwindSafe(|| check(&bytes))).is_err() {
                failed.push(file.display().to_string());
            }
        }
    }
    assert!(failed.is_empty(), "the checks failed on {failed:?}");
    count
}

#[test]
fn every_saved_regression_passes_the_checks() {
    // The folders may be empty: no crash found yet. The seeds below make sure the replay
    // itself runs.
    replay("regressions");
}

#[test]
fn every_committed_seed_passes_the_checks() {
    assert!(replay("seeds") >= checks::TARGETS.len(), "fuzz/seeds/ holds no seeds");
}

#[test]
fn the_seeds_load_and_pass_the_checks() {
    for seed in seed_writers::seeds() {
        let (name, bytes) = (seed.name, &seed.bytes[..]);
        let check = checks::TARGETS.iter().find(|(target, _)| *target == seed.target);
        check.expect("a known target").1(bytes);
        // The valid seeds load, so the checks' invariants on a success are exercised.
        let loads = match seed.target {
            "idx" => {
                let (images, labels) = checks::split_input(bytes);
                checks::Digits::from_idx_bytes(("images", images), ("labels", labels)).is_ok()
            }
            "csv" => {
                let (options, text) = checks::csv_input(bytes);
                checks::Digits::from_csv_reader("seed.csv", text, options).is_ok()
            }
            _ => safetensors::from_bytes(&mut checks::small(0), bytes).is_ok(),
        };
        assert_eq!(loads, !name.starts_with("lone-layer"), "{} seed {name}", seed.target);
    }
}

#[test]
fn the_committed_seeds_are_the_writers_output() {
    let dir = fuzz_dir().join("seeds");
    let write = std::env::var_os("FERROFLOW_WRITE_SEEDS").is_some();
    let mut expected: BTreeMap<PathBuf, Vec<u8>> = BTreeMap::new();
    for seed in seed_writers::seeds() {
        expected.insert(dir.join(seed.target).join(seed.name), seed.bytes);
    }
    if write {
        let _ = std::fs::remove_dir_all(&dir);
        for (path, bytes) in &expected {
            std::fs::create_dir_all(path.parent().expect("a folder")).expect("writable");
            std::fs::write(path, bytes).expect("writable");
        }
    }
    let mut committed = BTreeMap::new();
    for (target, _) in checks::TARGETS {
        for file in files(&dir.join(target)) {
            committed.insert(file.clone(), std::fs::read(&file).expect("readable"));
        }
    }
    assert!(
        committed == expected,
        "fuzz/seeds/ differs from what fuzz/seed_writers.rs writes: run \
         FERROFLOW_WRITE_SEEDS=1 cargo test --test fuzz_regressions"
    );
}

#[test]
fn a_failing_check_fails_the_replay() {
    // The safetensors check of a model's own bytes passes; the same check with the model
    // changed behind its back would not: `bits` tells two models apart.
    assert_ne!(checks::bits(&checks::small(1)), checks::bits(&checks::small(2)));
    let cut = checks::split_input(&[3, 0, 1, 2, 3, 4]);
    assert_eq!(cut, (&[1, 2, 3][..], &[4][..]));
    assert_eq!(checks::split_input(&[200, 0, 1]), (&[1][..], &[][..]));
}
