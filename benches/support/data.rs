//! Seeded batches shared by ferroflow and the hand-written baseline, so both train on the
//! same numbers.

use ferroflow::{Matrix, SeedableRng, SeededRng};

/// How many different batches a benchmark cycles through.
pub const BATCHES: usize = 8;

/// One batch in both layouts: ferroflow's matrices and the baseline's row-major arrays.
pub struct Batch<const B: usize, const I: usize, const O: usize> {
    /// `B × I` inputs, one sample per row.
    pub x: Matrix<f32, B, I>,
    /// One-hot labels.
    pub labels: Matrix<f32, B, O>,
    /// The same inputs, row-major.
    pub rows: [[f32; I]; B],
    /// The class of each sample.
    pub classes: [usize; B],
}

/// `BATCHES` batches of inputs uniform in `[0, 1)` (pixel-like) and random classes, from
/// `seed`. Each lives on the heap: W3's is 200 kB.
pub fn batches<const B: usize, const I: usize, const O: usize>(
    seed: u64,
) -> Vec<Box<Batch<B, I, O>>> {
    let mut rng = SeededRng::seed_from_u64(seed);
    (0..BATCHES)
        .map(|_| {
            let mut batch = Box::new(Batch {
                x: Matrix::zeros(),
                labels: Matrix::zeros(),
                rows: [[0.0; I]; B],
                classes: [0; B],
            });
            for b in 0..B {
                for i in 0..I {
                    let v = ferroflow::init::uniform(&mut rng, 0.0, 1.0) as f32;
                    batch.rows[b][i] = v;
                    batch.x[(b, i)] = v;
                }
                let class = (ferroflow::init::uniform(&mut rng, 0.0, O as f64) as usize).min(O - 1);
                batch.classes[b] = class;
                batch.labels[(b, class)] = 1.0;
            }
            batch
        })
        .collect()
}
