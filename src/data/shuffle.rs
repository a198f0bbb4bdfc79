//! Seeded shuffling that gives the same order on every machine.

use crate::Rng;

/// A uniform index in `0..n` from 64 random bits (Lemire's multiply-shift): the same on 32-
/// and 64-bit targets, unlike sampling through `usize`. The bias, at most `n / 2⁶⁴`, is far
/// below anything a data set can show.
fn index_below<R: Rng + ?Sized>(rng: &mut R, n: usize) -> usize {
    ((u128::from(rng.next_u64()) * n as u128) >> 64) as usize
}

/// Shuffles `items` in place (Fisher–Yates), drawing from `rng`: the same seed gives the
/// same order everywhere.
pub fn shuffle<T, R: Rng + ?Sized>(items: &mut [T], rng: &mut R) {
    for i in (1..items.len()).rev() {
        items.swap(i, index_below(rng, i + 1));
    }
}

/// A random permutation of `0..n` drawn from `rng`.
///
/// ```
/// use ferroflow::{SeedableRng, SeededRng};
/// let order = ferroflow::data::permutation(5, &mut SeededRng::seed_from_u64(1));
/// let mut sorted = order.clone();
/// sorted.sort();
/// assert_eq!(sorted, [0, 1, 2, 3, 4]);
/// assert_eq!(order, ferroflow::data::permutation(5, &mut SeededRng::seed_from_u64(1)));
/// ```
pub fn permutation<R: Rng + ?Sized>(n: usize, rng: &mut R) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    shuffle(&mut order, rng);
    order
}
