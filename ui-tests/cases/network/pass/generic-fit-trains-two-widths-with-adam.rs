//! A training function written once for any network, used on two widths of one generic
//! network: the optimizer's state is sized by each network, and no parameter count is
//! written anywhere.
use ferroflow::prelude::*;

network! {
    /// A classifier of 4 features into 3 classes whose hidden width is a parameter.
    pub struct Mlp<f32, const H: usize> {
        input: 4,
        hidden: Perceptron<H, Relu>,
        output: Perceptron<H -> 3, Softmax>,
    }
}

/// Trains any network of 4 inputs and 3 outputs with Adam; returns the first and last loss.
fn fit<N: Network<f32, 4, 3>>(net: &mut N, x: &Matrix<f32, 6, 4>, y: &Matrix<f32, 6, 3>) -> (f32, f32) {
    let mut adam = Adam::new(0.01);
    let first = net.train_step(x, y, &mut adam);
    let mut last = first;
    for _ in 0..300 {
        last = net.train_step(x, y, &mut adam);
    }
    (first, last)
}

fn main() {
    let mut rng = SeededRng::seed_from_u64(1);
    let x: Matrix<f32, 6, 4> = Matrix::from_fn(|r, c| (r as f32 - 0.5 * c as f32).sin());
    let y: Matrix<f32, 6, 3> = Matrix::from_fn(|r, c| if r % 3 == c { 1.0 } else { 0.0 });
    let mut narrow = Mlp::<8>::random(&mut rng);
    let mut wide = Mlp::<64>::random(&mut rng);
    for (first, last) in [fit(&mut narrow, &x, &y), fit(&mut wide, &x, &y)] {
        assert!(last < first / 4.0, "the loss went from {first} to {last}");
    }
    // Every sample is learnt, by both widths.
    for r in 0..6 {
        let sample = [x[(r, 0)], x[(r, 1)], x[(r, 2)], x[(r, 3)]];
        assert_eq!(narrow.classify(&sample), r % 3);
        assert_eq!(wide.classify(&sample), r % 3);
    }
    // Each width is its own type with its own parameters, saved under the same names.
    assert_eq!((Mlp::<8>::PARAM_COUNT, Mlp::<64>::PARAM_COUNT), (4 * 8 + 8 + 8 * 3 + 3, 4 * 64 + 64 + 64 * 3 + 3));
    let bytes = ferroflow::io::safetensors::to_bytes(&wide, &[]);
    let mut loaded = Mlp::<64>::zeros();
    ferroflow::io::safetensors::from_bytes(&mut loaded, &bytes).expect("the weights load back");
    assert_eq!(loaded, wide);
    let source = ferroflow::io::to_rust_source(&narrow, "Mlp<8>", "NET").expect("a chain of perceptrons");
    assert!(source.contains("pub fn net() -> Mlp<8> {\n    <Mlp<8>>::new("), "{source}");
}
