//! The tutorial's toy data sets, generated from a caller's RNG: the red/blue Gaussian
//! clusters (linearly separable) and the XOR-like clusters (not).
//!
//! Labels are one-hot rows: class 0 is red (`[1, 0]`), class 1 is blue (`[0, 1]`). The
//! sizes are const generics, so a data set is a pair of matrices with no heap.

use crate::init::standard_normal;
use crate::{Element, Matrix};

/// Points and one-hot labels: `N` samples with 2 features, 2 classes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Clusters<T: Element, const N: usize> {
    /// One point per row.
    pub points: Matrix<T, N, 2>,
    /// One-hot labels: `[1, 0]` for red (class 0), `[0, 1]` for blue (class 1).
    pub labels: Matrix<T, N, 2>,
}

impl<T: Element, const N: usize> Clusters<T, N> {
    /// The class (0 red, 1 blue) of sample `i`.
    pub fn class(&self, i: usize) -> usize {
        usize::from(self.labels[(i, 1)] > self.labels[(i, 0)])
    }

    /// Draws `N` points round the given centres, `N / centres.len()` per centre (the last
    /// centre also takes the remainder), with standard deviation `std_dev` on each axis.
    /// `centres[k].2` is the class of centre `k`. Samples are grouped by centre, in the
    /// order given.
    ///
    /// # Panics
    /// If `centres` is empty or a class is not 0 or 1 (the labels have two columns).
    pub fn gaussian<R: rand::Rng + ?Sized>(
        rng: &mut R,
        centres: &[(f64, f64, usize)],
        std_dev: f64,
    ) -> Self {
        let mut points = crate::matrix::zeros::<T, N, 2>();
        let mut labels = crate::matrix::zeros::<T, N, 2>();
        let per_centre = N / centres.len().max(1);
        for i in 0..N {
            let (cx, cy, class) = centres[(i / per_centre.max(1)).min(centres.len() - 1)];
            points[(i, 0)] = T::from_f64(cx + std_dev * standard_normal(rng));
            points[(i, 1)] = T::from_f64(cy + std_dev * standard_normal(rng));
            labels[(i, class)] = T::ONE;
        }
        Self { points, labels }
    }
}

/// The tutorial's red/blue clusters (parts II–IV): 50 red points round (−2, −2) and 50
/// blue points round (2, 2), standard deviation 1. A line separates them.
pub fn red_blue<T: Element, R: rand::Rng + ?Sized>(rng: &mut R) -> Clusters<T, 100> {
    Clusters::gaussian(rng, &[(-2.0, -2.0, 0), (2.0, 2.0, 1)], 1.0)
}

/// The tutorial's XOR-like clusters (part V): 25 points each round (0, 0) and (1, 1) for
/// red and round (0, 1) and (1, 0) for blue, standard deviation 0.2. No line separates
/// them; a hidden layer can.
pub fn xor<T: Element, R: rand::Rng + ?Sized>(rng: &mut R) -> Clusters<T, 100> {
    Clusters::gaussian(rng, &[(0.0, 0.0, 0), (1.0, 1.0, 0), (0.0, 1.0, 1), (1.0, 0.0, 1)], 0.2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clusters_sit_round_their_centres() {
        let data: Clusters<f64, 100> = xor(&mut crate::testing::rng(0));
        for (k, &(cx, cy)) in [(0.0, 0.0), (1.0, 1.0), (0.0, 1.0), (1.0, 0.0)].iter().enumerate() {
            let rows = k * 25..(k + 1) * 25;
            let mx = rows.clone().map(|i| data.points[(i, 0)]).sum::<f64>() / 25.0;
            let my = rows.clone().map(|i| data.points[(i, 1)]).sum::<f64>() / 25.0;
            // The mean of 25 draws with σ = 0.2 lies within 0.2 of the centre (5 σ/√25).
            assert!((mx - cx).abs() < 0.2 && (my - cy).abs() < 0.2, "centre {k}: ({mx}, {my})");
            assert!(rows.clone().all(|i| data.class(i) == usize::from(k >= 2)));
        }
        let red_blue: Clusters<f32, 100> = red_blue(&mut crate::testing::rng(0));
        assert_eq!(red_blue.labels.sum(), 100.0);
        assert_eq!((red_blue.class(0), red_blue.class(99)), (0, 1));
    }
}
