//! The tutorial's cross-entropy built as a graph (the example part3_loss) against an
//! independent computation of the same sum.

use ferroflow::clusters::{self, Clusters};
use ferroflow::graph::*;
use ferroflow::matrix::{from_rows, row};
use ferroflow::{CrossEntropy, Loss, Matrix, SeedableRng, SeededRng};

/// The example's seed.
const SEED: u64 = 0;

#[test]
fn fixed_perceptron_cross_entropy_matches_an_independent_computation() {
    let data: Clusters<f64, 100> = clusters::red_blue(&mut SeededRng::seed_from_u64(SEED));
    // The example's graph: W = [[1, −1], [1, −1]], b = [0, 0], labels in the tutorial's
    // class order (blue [1, 0], red [0, 1]).
    let x = Placeholder::<f64, 100, 2, 0>::new();
    let c = Placeholder::<f64, 100, 2, 1>::new();
    let w = Variable::new(from_rows([[1.0, -1.0], [1.0, -1.0]]));
    let b = Bias::new(row([0.0, 0.0]));
    let p = softmax(matmul(x, &w) + &b);
    let j = negative(reduce_sum(reduce_sum_axis(multiply(c, log(&p)), Axis::<1>)));
    let labels: Matrix<f64, 100, 2> = Matrix::from_fn(|i, k| data.labels[(i, 1 - k)]);
    let graph = Session.run(&j, &(data.points, labels))[0];

    // Written out point by point with std's exp and ln (the graph uses libm's): the scores
    // are x₁ + x₂ for blue and −(x₁ + x₂) for red, and each point adds −ln p(its colour).
    let mut expected = 0.0;
    for i in 0..100 {
        let s = data.points[(i, 0)] + data.points[(i, 1)];
        let (blue, red) = (s.exp(), (-s).exp());
        let p_true = if data.class(i) == 1 { blue } else { red } / (blue + red);
        expected -= p_true.ln();
    }
    assert!((graph - expected).abs() < 1e-12 * expected, "graph {graph}, by hand {expected}");

    // ferroflow's fused loss averages over the batch; the tutorial's J sums.
    let mean = CrossEntropy::loss(&Session.run(&p, &data.points), &labels);
    assert!((graph - 100.0 * mean).abs() < 1e-12 * graph, "graph {graph}, 100 × mean {mean}");
}
