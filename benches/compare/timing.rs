//! How every Rust program of the comparison times a workload (`src/main.rs`, `dfdx/`,
//! `candle/` include this file; `pytorch.py` and `fann.c` do the same by hand): a short
//! warm-up, then blocks of 64 steps until `WINDOW` has passed.

use std::time::{Duration, Instant};

/// How long each library runs per workload and round.
pub const WINDOW: Duration = Duration::from_millis(700);

/// Steps per second of `step` (given the step's index), run for about `WINDOW` after a
/// warm-up of a fifth of it.
pub fn rate(mut step: impl FnMut(usize)) -> f64 {
    let warm = Instant::now();
    let mut i = 0;
    while warm.elapsed() < WINDOW / 5 {
        step(i);
        i += 1;
    }
    let start = Instant::now();
    let mut n = 0;
    while start.elapsed() < WINDOW {
        for _ in 0..64 {
            step(n);
            n += 1;
        }
    }
    n as f64 / start.elapsed().as_secs_f64()
}
