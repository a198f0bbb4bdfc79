//! Graph networks from a crate that depends on `ferroflow` alone: a residual block, two
//! inputs joined, dropout, a generic width; trained with Adam, saved and exported.
use ferroflow::prelude::*;

network! {
    /// A residual block beside a one-hot context, `H` units wide.
    pub struct Ranker<f32, const H: usize> {
        features: Input<6>,
        context: Input<3>,
        stem: Perceptron<H, Relu>(features),
        block: Perceptron<H, Tanh>,
        skip: Sum(stem, block),
        drop: Dropout<0.1>,
        head: Perceptron<8, Relu>,
        joined: Concat(head, context),
        output: Perceptron<2, Softmax>,
    }
}

fn main() {
    let mut rng = SeededRng::seed_from_u64(3);
    let x: Matrix<f32, 8, 9> = Matrix::from_fn(|r, c| ((r * 9 + c) as f32 * 0.37).sin());
    let y: Matrix<f32, 8, 2> = Matrix::from_fn(|r, c| if r % 2 == c { 1.0 } else { 0.0 });
    let mut net = Ranker::<16>::random(&mut rng);
    let mut adam = Adam::new(0.01);
    let first = net.train_step(&x, &y, &mut adam);
    let mut last = first;
    for _ in 0..300 {
        last = net.train_step(&x, &y, &mut adam);
    }
    assert!(last < first / 4.0, "the loss went from {first} to {last}");
    assert_eq!(Ranker::<16>::INPUTS, 9);
    let bytes = ferroflow::io::safetensors::to_bytes(&net, &[]);
    let mut loaded = Ranker::<16>::zeros();
    ferroflow::io::safetensors::from_bytes(&mut loaded, &bytes).expect("the weights load back");
    assert_eq!(loaded.forward(&x), net.forward(&x));
    let source = ferroflow::io::to_rust_source(&net, "Ranker<16>", "NET").expect("layers");
    assert!(source.contains("<Ranker<16>>::new("), "{source}");
}
