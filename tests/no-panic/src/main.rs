//! Proof that inference and a training step of `network!` networks cannot panic.
//!
//! Every function marked `#[no_panic]` fails to *link* if the optimised, fat-LTO build still
//! holds any path from it to a panic (an index out of bounds, an overflow, an `unwrap`, an
//! assertion): the check is done by the compiler on the machine code, not by running it.
//! So this program building in release is the proof; running it only shows the functions
//! do their job. A `#[no_panic]` function is only checked if something calls it, so
//! `main` calls every one, with inputs passed through `black_box` so that nothing is
//! computed at build time.
//!
//! Training steps with `Momentum` and `Adam` are covered too: their `update` finds the
//! state of the tensor it is handed by the tensor's flat position, and through
//! `train_step` the positions are the model's own, so the compiler can see that every
//! lookup lands inside the state.
//!
//! Int8 inference is covered too: the integer forward pass of chains (ReLU, tanh and
//! sigmoid tables) and of a graph (a residual sum and a concatenation), and the
//! quantisation of a float sample.
//!
//! Run: `cargo run --release --manifest-path tests/no-panic/Cargo.toml` (add
//! `--features std` for the facade's standard configuration).

use ferroflow::optim::{Adam, GradientDescent, Momentum};
use ferroflow::prelude::*;
use ferroflow::quant::Int8;
use no_panic::no_panic;
use std::hint::black_box;

network! {
    /// The firmware's network (and the README's): 2 → 16 (sigmoid) → 2 (softmax).
    pub struct RedBlue<f32> {
        input: 2,
        hidden: Perceptron<16, Sigmoid>,
        output: Perceptron<2, Softmax>,
    }
}

network! {
    /// Every other activation and loss: ReLU, tanh, and a sigmoid output with binary
    /// cross-entropy, in f64.
    pub struct Deep<f64> {
        input: 3,
        first: Perceptron<8, Relu>,
        second: Perceptron<4, Tanh>,
        output: Perceptron<2, Sigmoid>,
    }
}

network! {
    /// A linear output with squared error.
    pub struct Linear<f32> {
        input: 4,
        hidden: Perceptron<3, Relu>,
        output: Perceptron<1, Identity>,
    }
}

network! {
    /// A graph for int8: a residual sum beside a second input, concatenated.
    pub struct Graph<f32> {
        a: Input<3>,
        b: Input<2>,
        stem: Perceptron<4, Relu>(a),
        block: Perceptron<4, Tanh>(stem),
        skip: Sum(stem, block),
        both: Concat(skip, b),
        output: Perceptron<2, Softmax>(both),
    }
}

network! {
    /// A hidden width given where the network is made (`Wide<8>`). A generic width puts
    /// the layers in `Boxed` storage, which without `alloc` is the layer itself: this
    /// network compiling here is the check that generated code never dereferences it.
    pub struct Wide<f32, const H: usize> {
        input: 2,
        hidden: Perceptron<H, Relu>,
        output: Perceptron<2, Softmax>,
    }
}

/// Int8 inference on one sample of the firmware's network: integers only.
#[no_panic]
fn red_blue_int8_forward(int8: &Int8<RedBlue, 2, 2>, sample: &[i8; 2]) -> [i8; 2] {
    int8.forward(sample)
}

/// A float sample in the int8 network's input mapping, then its class.
#[no_panic]
fn red_blue_int8_classify(int8: &Int8<RedBlue, 2, 2>, sample: &[f32; 2]) -> usize {
    int8.classify(sample)
}

/// Int8 inference through ReLU, tanh and sigmoid layers.
#[no_panic]
fn deep_int8_forward(int8: &Int8<Deep, 3, 2>, sample: &[i8; 3]) -> [i8; 2] {
    int8.forward(sample)
}

/// Int8 inference through a sum, a concatenation and two inputs.
#[no_panic]
fn graph_int8_forward(int8: &Int8<Graph, 5, 2>, sample: &[i8; 5]) -> [i8; 2] {
    int8.forward(sample)
}

/// Inference on one sample, as the firmware runs it.
#[no_panic]
fn red_blue_predict(net: &RedBlue, sample: &[f32; 2]) -> [f32; 2] {
    net.predict(sample)
}

/// Inference on a batch.
#[no_panic]
fn red_blue_forward(net: &RedBlue, x: &Matrix<f32, 10, 2>) -> Matrix<f32, 10, 2> {
    net.forward(x)
}

/// The predicted class of one sample.
#[no_panic]
fn red_blue_classify(net: &RedBlue, sample: &[f32; 2]) -> usize {
    net.classify(sample)
}

/// The predicted classes of a batch.
#[no_panic]
fn red_blue_classify_batch(net: &RedBlue, x: &Matrix<f32, 10, 2>) -> [usize; 10] {
    net.classify_batch(x)
}

/// The loss of a batch.
#[no_panic]
fn red_blue_loss(net: &RedBlue, x: &Matrix<f32, 10, 2>, labels: &Matrix<f32, 10, 2>) -> f32 {
    net.loss(x, labels)
}

/// One training step by gradient descent, as the firmware trains.
#[no_panic]
fn red_blue_train_step(
    net: &mut RedBlue,
    x: &Matrix<f32, 10, 2>,
    labels: &Matrix<f32, 10, 2>,
    sgd: &mut GradientDescent<f32>,
) -> f32 {
    net.train_step(x, labels, sgd)
}

/// One training step of a network with a generic width, as above.
#[no_panic]
fn wide_train_step(
    net: &mut Wide<8>,
    x: &Matrix<f32, 10, 2>,
    labels: &Matrix<f32, 10, 2>,
    sgd: &mut GradientDescent<f32>,
) -> f32 {
    net.train_step(x, labels, sgd)
}

/// One training step with momentum.
#[no_panic]
fn red_blue_momentum_step(
    net: &mut RedBlue,
    x: &Matrix<f32, 10, 2>,
    labels: &Matrix<f32, 10, 2>,
    momentum: &mut Momentum<f32, RedBlueGradients>,
) -> f32 {
    net.train_step(x, labels, momentum)
}

/// One training step with Adam.
#[no_panic]
fn red_blue_adam_step(
    net: &mut RedBlue,
    x: &Matrix<f32, 10, 2>,
    labels: &Matrix<f32, 10, 2>,
    adam: &mut Adam<f32, RedBlueGradients>,
) -> f32 {
    net.train_step(x, labels, adam)
}

/// A training step with Adam through ReLU, tanh and binary cross-entropy, in f64.
#[no_panic]
fn deep_adam_step(
    net: &mut Deep,
    x: &Matrix<f64, 4, 3>,
    labels: &Matrix<f64, 4, 2>,
    adam: &mut Adam<f64, DeepGradients>,
) -> f64 {
    net.train_step(x, labels, adam)
}

/// A training step with Nesterov momentum and weight decay, with squared error.
#[no_panic]
fn linear_momentum_step(
    net: &mut Linear,
    x: &Matrix<f32, 5, 4>,
    targets: &Matrix<f32, 5, 1>,
    momentum: &mut Momentum<f32, LinearGradients>,
) -> f32 {
    net.train_step(x, targets, momentum)
}

/// Inference through ReLU and tanh layers, in f64.
#[no_panic]
fn deep_forward(net: &Deep, x: &Matrix<f64, 4, 3>) -> Matrix<f64, 4, 2> {
    net.forward(x)
}

/// A training step through ReLU, tanh and binary cross-entropy.
#[no_panic]
fn deep_train_step(
    net: &mut Deep,
    x: &Matrix<f64, 4, 3>,
    labels: &Matrix<f64, 4, 2>,
    sgd: &mut GradientDescent<f64>,
) -> f64 {
    net.train_step(x, labels, sgd)
}

/// A training step with squared error.
#[no_panic]
fn linear_train_step(
    net: &mut Linear,
    x: &Matrix<f32, 5, 4>,
    targets: &Matrix<f32, 5, 1>,
    sgd: &mut GradientDescent<f32>,
) -> f32 {
    net.train_step(x, targets, sgd)
}

fn main() {
    let mut rng = SeededRng::seed_from_u64(black_box(7));
    let data = ferroflow::clusters::xor::<f32, _>(&mut rng);
    let x: Matrix<f32, 10, 2> = black_box(data.points.fixed_rows::<10>(45).into_owned());
    let labels: Matrix<f32, 10, 2> = black_box(data.labels.fixed_rows::<10>(45).into_owned());
    let mut net = RedBlue::random(&mut rng);

    let mut sgd = GradientDescent::new(black_box(3.0));
    let first = red_blue_train_step(&mut net, &x, &labels, &mut sgd);
    let mut last = first;
    for _ in 0..200 {
        last = red_blue_train_step(&mut net, &x, &labels, &mut sgd);
    }
    println!("red/blue: loss {first:.4} -> {last:.4} in 201 gradient-descent steps");
    let sample = black_box([x[(0, 0)], x[(0, 1)]]);
    println!(
        "predict {:?}, classify {}, batch classes {:?}, batch loss {:.4}, batch outputs {}",
        red_blue_predict(&net, &sample),
        red_blue_classify(&net, &sample),
        red_blue_classify_batch(&net, &x),
        red_blue_loss(&net, &x, &labels),
        red_blue_forward(&net, &x).nrows(),
    );

    let mut wide = Wide::<8>::random(&mut rng);
    let mut sgd_wide = GradientDescent::new(black_box(0.5));
    let wide_first = wide_train_step(&mut wide, &x, &labels, &mut sgd_wide);
    println!(
        "wide (generic width 8): loss {wide_first:.4}, then {:.4}",
        wide_train_step(&mut wide, &x, &labels, &mut sgd_wide)
    );

    let mut deep = Deep::random(&mut rng);
    let xd: Matrix<f64, 4, 3> = black_box(Matrix::from_fn(|r, c| (r as f64 - c as f64) / 3.0));
    let yd: Matrix<f64, 4, 2> = black_box(Matrix::from_fn(|r, c| ((r + c) % 2) as f64));
    let mut sgd64 = GradientDescent::new(black_box(0.5));
    let deep_first = deep_train_step(&mut deep, &xd, &yd, &mut sgd64);
    println!(
        "deep: loss {deep_first:.4}, then {:.4}; outputs {:?}",
        deep_train_step(&mut deep, &xd, &yd, &mut sgd64),
        deep_forward(&deep, &xd).as_slice()
    );

    let mut linear = Linear::random(&mut rng);
    let xl: Matrix<f32, 5, 4> = black_box(Matrix::from_fn(|r, c| (r * c) as f32 / 10.0));
    let yl: Matrix<f32, 5, 1> = black_box(Matrix::from_fn(|r, _| r as f32));
    let mut sgd32 = GradientDescent::new(black_box(0.01));
    println!("linear: loss {:.4}", linear_train_step(&mut linear, &xl, &yl, &mut sgd32));

    // The optimizers with state, on fresh copies of the models.
    let mut net = RedBlue::random(&mut rng);
    let mut momentum = Momentum::new(black_box(0.5), black_box(0.9));
    let mut adam = Adam::new(black_box(0.01));
    let (mut with_momentum, mut with_adam) = (net.clone(), net.clone());
    let first = red_blue_momentum_step(&mut with_momentum, &x, &labels, &mut momentum);
    let first_adam = red_blue_adam_step(&mut with_adam, &x, &labels, &mut adam);
    let (mut last, mut last_adam) = (first, first_adam);
    for _ in 0..100 {
        last = red_blue_momentum_step(&mut with_momentum, &x, &labels, &mut momentum);
        last_adam = red_blue_adam_step(&mut with_adam, &x, &labels, &mut adam);
    }
    println!(
        "red/blue: loss {first:.4} -> {last:.4} with momentum, {first_adam:.4} -> \
         {last_adam:.4} with Adam, in 101 steps"
    );
    net = with_adam;
    let mut deep_adam = Adam::new(black_box(0.01));
    let mut linear_momentum = Momentum::new(black_box(0.01), black_box(0.9))
        .with_nesterov()
        .with_weight_decay(black_box(1e-3));
    println!(
        "deep with Adam: loss {:.4}; linear with Nesterov momentum: loss {:.4}; Adam's \
         red/blue classes {:?}",
        deep_adam_step(&mut deep, &xd, &yd, &mut deep_adam),
        linear_momentum_step(&mut linear, &xl, &yl, &mut linear_momentum),
        red_blue_classify_batch(&net, &x),
    );

    // Int8: quantised on samples of each network's inputs.
    let int8 = Int8::quantise(&net, &[[0.0, 0.0], [1.0, 1.0], [0.0, 1.0]]).expect("finite");
    let deep_int8 = Int8::quantise(&deep, &[[0.0, 1.0, -1.0], [1.0, 0.5, 0.25]]).expect("finite");
    let graph = Graph::random(&mut rng);
    let graph_int8 =
        Int8::quantise(&graph, &[[0.0, 1.0, -1.0, 0.5, 0.5], [1.0; 5]]).expect("finite");
    println!(
        "int8: red/blue {:?} (class {}), deep {:?}, graph {:?}",
        red_blue_int8_forward(black_box(&int8), &black_box([12, -100])),
        red_blue_int8_classify(black_box(&int8), &sample),
        deep_int8_forward(black_box(&deep_int8), &black_box([1, 2, 3])),
        graph_int8_forward(black_box(&graph_int8), &black_box([-1, 0, 1, 2, 3])),
    );

    println!("no panic path in any of the 18 functions checked (the link would have failed)");
}
