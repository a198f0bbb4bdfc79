//! Fuzz target `csv`: see `checks::csv` (`fuzz/checks.rs`, shared with
//! `tests/fuzz_regressions.rs`).
#![no_main]

#[path = "../checks.rs"]
#[allow(dead_code)]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::csv(data));
