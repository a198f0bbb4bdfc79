//! `network!` graphs: nodes that name what they read, several inputs, sums, concatenations,
//! dropout and nodes read several times. Every gradient of DAGs of depth 1 to 6 against
//! central finite differences; the fused training step against backward then update;
//! dropout's masks in training and none in inference.

use ferroflow::prelude::*;
use ferroflow::{Dropout, PerParameter, Rng};

network! {
    /// Depth 1: two layers read the input, their sum is the output (squared error).
    struct Dag1<f64> {
        input: 3,
        a: Perceptron<2, Tanh>(input),
        b: Perceptron<2, Sigmoid>(input),
        out: Sum(a, b),
    }
}

network! {
    /// Depth 2: a residual block.
    struct Dag2<f64> {
        input: 3,
        stem: Perceptron<4, Tanh>,
        block: Perceptron<4, Sigmoid>,
        skip: Sum(stem, block),
        out: Perceptron<2, Softmax>,
    }
}

network! {
    /// Depth 3: two inputs, one through a layer, joined with the other (binary cross-entropy).
    struct Dag3<f64> {
        features: Input<3>,
        context: Input<2>,
        f: Perceptron<4, Tanh>(features),
        g: Perceptron<3, Sigmoid>,
        joined: Concat(g, context, f),
        out: Perceptron<2, Sigmoid>,
    }
}

network! {
    /// Depth 4: one node read four times (twice by one sum).
    struct Dag4<f64> {
        input: 3,
        h: Perceptron<4, Tanh>,
        a: Perceptron<4, Sigmoid>(h),
        b: Perceptron<4, Identity>(h),
        c: Sum(h, a, b, h),
        d: Perceptron<3, Tanh>,
        out: Perceptron<3, Softmax>,
    }
}

network! {
    /// Depth 5: a sum inside a concatenation, with the input joined back in, and dropout.
    struct Dag5<f64> {
        input: 4,
        l1: Perceptron<5, Tanh>,
        l2: Perceptron<5, Sigmoid>,
        s1: Sum(l1, l2),
        l3: Perceptron<3, Tanh>(s1),
        j: Concat(s1, l3, input),
        d: Dropout<0.3>,
        l4: Perceptron<6, Sigmoid>,
        l5: Perceptron<6, Tanh>,
        out: Perceptron<2, Softmax>,
    }
}

network! {
    /// Depth 6: two residual blocks, each read by the next block and a final concatenation.
    struct Dag6<f64> {
        input: 3,
        stem: Perceptron<4, Tanh>,
        b1: Perceptron<4, Sigmoid>,
        r1: Sum(stem, b1),
        b2: Perceptron<4, Tanh>,
        r2: Sum(r1, b2),
        b3: Perceptron<4, Sigmoid>,
        r3: Sum(r2, b3),
        all: Concat(r1, r2, r3),
        top: Perceptron<5, Tanh>,
        out: Perceptron<3, Identity>,
    }
}

/// Widths of Dag7: two constants of one value.
const WIDE: usize = 4;
/// Widths of Dag7: two constants of one value.
const ALSO_WIDE: usize = 4;

network! {
    /// Constant widths: a sum of two constants of one value (brought to one type), a
    /// concatenation of a sum of constants with the input, and two nodes whose generated
    /// locals once shared a name (`z_h`, and the pre-activation gradient of `h`).
    struct Dag7<f64> {
        input: 3,
        z_h: Perceptron<WIDE, Tanh>,
        h: Perceptron<ALSO_WIDE, Sigmoid>,
        s: Sum(z_h, h),
        j: Concat(s, input),
        out: Perceptron<2, Softmax>,
    }
}

const B: usize = 5;

/// Every parameter's gradient from `gradients` against central differences of the training
/// loss (the same pass, dropout masks included), relative error below 1e-6 with a floor of
/// 1e-2 on the denominator.
fn check_gradients<N: Network<f64, I, O>, const I: usize, const O: usize>(
    name: &str,
    net: &N,
    x: &Matrix<f64, B, I>,
    labels: &Matrix<f64, B, O>,
) {
    let (_, gradients) = net.gradients(x, labels);
    let mut analytic = Vec::new();
    gradients.for_each_tensor(&mut |values| analytic.extend_from_slice(values));
    assert_eq!(analytic.len(), N::PARAM_COUNT, "{name}");
    let h = 1e-6;
    let mut perturbed = net.clone();
    let nudge = |i: usize, delta: f64, net: &mut N| {
        let mut k = 0;
        net.for_each_param_mut(&mut |_, values| {
            for v in values.iter_mut() {
                if k == i {
                    *v += delta;
                }
                k += 1;
            }
        });
    };
    for (i, &exact) in analytic.iter().enumerate() {
        nudge(i, h, &mut perturbed);
        let up = perturbed.gradients(x, labels).0;
        nudge(i, -2.0 * h, &mut perturbed);
        let down = perturbed.gradients(x, labels).0;
        nudge(i, h, &mut perturbed);
        let numeric = (up - down) / (2.0 * h);
        let error = (numeric - exact).abs() / numeric.abs().max(exact.abs()).max(1e-2);
        assert!(
            error < 1e-6,
            "{name}: parameter {i}: backward {exact}, finite differences {numeric}"
        );
    }
}

fn random<const R: usize, const C: usize>(
    rng: &mut SeededRng,
    lo: f64,
    hi: f64,
) -> Matrix<f64, R, C> {
    Matrix::from_fn(|_, _| ferroflow::init::uniform(rng, lo, hi))
}

fn one_hot<const C: usize>(rng: &mut SeededRng) -> Matrix<f64, B, C> {
    let mut y = Matrix::<f64, B, C>::zeros();
    for r in 0..B {
        y[(r, (rng.next_u64() % C as u64) as usize)] = 1.0;
    }
    y
}

/// Random biases too, so that every parameter's gradient carries information.
fn with_random_biases<N: Parameters<f64>>(mut net: N, rng: &mut SeededRng) -> N {
    net.for_each_param_mut(&mut |name, values| {
        if name.tensor == "bias" {
            for v in values {
                *v = ferroflow::init::uniform(rng, -0.5, 0.5);
            }
        }
    });
    net
}

#[test]
fn gradients_of_dags_of_depth_1_to_6_match_finite_differences() {
    for seed in 0..10 {
        let mut rng = SeededRng::seed_from_u64(seed);
        let x3 = random::<B, 3>(&mut rng, -2.0, 2.0);
        let net = with_random_biases(Dag1::random(&mut rng), &mut rng);
        check_gradients("depth 1", &net, &x3, &random(&mut rng, -1.0, 1.0));
        let net = with_random_biases(Dag2::random(&mut rng), &mut rng);
        check_gradients("depth 2", &net, &x3, &one_hot(&mut rng));
        let net = with_random_biases(Dag3::random(&mut rng), &mut rng);
        let x5 = random::<B, 5>(&mut rng, -2.0, 2.0);
        check_gradients("depth 3", &net, &x5, &random(&mut rng, 0.0, 1.0));
        let net = with_random_biases(Dag4::random(&mut rng), &mut rng);
        check_gradients("depth 4", &net, &x3, &one_hot(&mut rng));
        let net = with_random_biases(Dag5::random(&mut rng), &mut rng);
        let x4 = random::<B, 4>(&mut rng, -2.0, 2.0);
        check_gradients("depth 5", &net, &x4, &one_hot(&mut rng));
        let net = with_random_biases(Dag6::random(&mut rng), &mut rng);
        check_gradients("depth 6", &net, &x3, &random(&mut rng, -1.0, 1.0));
        let net = with_random_biases(Dag7::random(&mut rng), &mut rng);
        check_gradients("constant widths", &net, &x3, &one_hot(&mut rng));
    }
}

#[test]
fn the_fused_step_is_backward_then_apply_gradients() {
    let mut rng = SeededRng::seed_from_u64(3);
    let x = random::<B, 4>(&mut rng, -2.0, 2.0);
    let labels = one_hot::<2>(&mut rng);
    let mut fused = with_random_biases(Dag5::random(&mut rng), &mut rng);
    let mut reference = fused.clone();
    // Adam keeps state at each scalar's place: a misplaced layer offset would show.
    let (mut adam_fused, mut adam_reference) = (Adam::new(0.01), Adam::new(0.01));
    for step in 0..4 {
        let loss_fused = fused.train_step(&x, &labels, &mut adam_fused);
        let (loss, gradients) = Network::gradients(&reference, &x, &labels);
        // The update moves the dropout on to its next mask, as the fused step does.
        reference.apply_gradients(&gradients, &mut adam_reference);
        assert!((loss_fused - loss).abs() < 1e-12, "step {step}: {loss_fused} vs {loss}");
        let mut worst = 0.0f64;
        let (mut a, mut b) = (Vec::new(), Vec::new());
        fused.for_each_param(&mut |_, v| a.extend_from_slice(v));
        reference.for_each_param(&mut |_, v| b.extend_from_slice(v));
        for (a, b) in a.iter().zip(&b) {
            worst = worst.max((a - b).abs());
        }
        assert!(worst < 1e-12, "step {step}: parameters differ by {worst:e}");
        assert_eq!(fused.d, reference.d);
    }
}

#[test]
fn dropout_masks_in_training_and_not_in_inference() {
    let mut rng = SeededRng::seed_from_u64(8);
    let mut net = Dag5::random(&mut rng);
    let x = random::<B, 4>(&mut rng, -2.0, 2.0);
    // Inference is the network without its dropout: the same as a rate of 0.
    let mut without = net.clone();
    without.d = Dropout::new(0.0, 0);
    assert_eq!(net.forward(&x), without.forward(&x));
    assert_eq!(without.forward_trace(&x).out, net.forward(&x));
    // Training drops: the trace differs from inference, and each step draws a new mask.
    let first = net.forward_trace(&x);
    assert_ne!(first.out, net.forward(&x));
    assert!(first.d.iter().filter(|&&v| v == 0.0).count() > 0, "some values are dropped");
    net.train_step(&x, &one_hot(&mut rng), &mut GradientDescent::new(0.0));
    let second = net.forward_trace(&x);
    assert_ne!(second.d, first.d, "the next step has its own mask");
    // `gradients` twice without an update sees one mask; `apply_gradients` moves it on.
    let labels = one_hot(&mut rng);
    assert_eq!(net.gradients(&x, &labels), net.gradients(&x, &labels));
    let (_, gradients) = net.gradients(&x, &labels);
    let step = net.d.step();
    net.apply_gradients(&gradients, &mut GradientDescent::new(0.0));
    assert_eq!(net.d.step(), step + 1);
    assert_ne!(net.forward_trace(&x).d, second.d, "an update by apply_gradients moves the mask on");
}

#[test]
fn several_inputs_are_the_batch_columns_side_by_side() {
    let mut rng = SeededRng::seed_from_u64(2);
    let net = Dag3::random(&mut rng);
    assert_eq!((Dag3::INPUTS, Dag3::OUTPUTS), (5, 2));
    let x = random::<B, 5>(&mut rng, -1.0, 1.0);
    let features: Matrix<f64, B, 3> = x.fixed_columns::<3>(0).into_owned();
    let context: Matrix<f64, B, 2> = x.fixed_columns::<2>(3).into_owned();
    // The network, by hand, from its layers.
    let f = net.f.forward(&features);
    let g = net.g.forward(&f);
    let mut joined = Matrix::<f64, B, 9>::zeros();
    joined.fixed_columns_mut::<3>(0).copy_from(&g);
    joined.fixed_columns_mut::<2>(3).copy_from(&context);
    joined.fixed_columns_mut::<4>(5).copy_from(&f);
    let expected = net.out.forward(&joined);
    assert!((net.forward(&x) - expected).abs().max() < 1e-15);
}

#[test]
fn a_graph_network_trains_saves_and_loads_like_a_chain() {
    let mut rng = SeededRng::seed_from_u64(4);
    let mut net = Dag6::random(&mut rng);
    let x = random::<B, 3>(&mut rng, -1.0, 1.0);
    let y = random::<B, 3>(&mut rng, -0.5, 0.5);
    let mut adam = Adam::new(0.02);
    let first = net.train_step(&x, &y, &mut adam);
    let mut last = first;
    for _ in 0..200 {
        last = net.train_step(&x, &y, &mut adam);
    }
    assert!(last < first / 10.0, "{first} -> {last}");
    let bytes = ferroflow::io::safetensors::to_bytes(&net, &[]);
    let mut loaded = Dag6::zeros();
    ferroflow::io::safetensors::from_bytes(&mut loaded, &bytes).expect("the weights load back");
    assert_eq!(loaded.forward(&x), net.forward(&x));
    let mut names = Vec::new();
    net.for_each_param(&mut |name, _| names.push(name.to_string()));
    assert_eq!(names[..4], ["stem.weight", "stem.bias", "b1.weight", "b1.bias"]);
    assert_eq!(names.len(), 12);
}
