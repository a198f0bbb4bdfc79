//! A network's passes in the variant chosen at run time against the same passes as the
//! build compiled them. On a processor with AVX2 and FMA a step or inference runs in code
//! compiled for it, whose small loops round each multiply-add once (`kernels::isa`,
//! `widest_pass!`); the build's code (SSE2 on x86-64) rounds twice. The test runs the same
//! networks in a second process with `FERROFLOW_ISA=build` and compares: to the bit where
//! this process runs as built too, else within a stated bound in ulp.
#![cfg(feature = "std")]

use ferroflow::prelude::*;
use rand::RngExt;
use std::process::Command;

network! {
    /// W1's network: the tutorial's multi-layer perceptron.
    struct Tutorial<f32> {
        input: 2,
        hidden: Perceptron<16, Sigmoid>,
        output: Perceptron<2, Softmax>,
    }
}

network! {
    /// W2's network: products above the size that stays inlined.
    struct Middle<f32> {
        input: 64,
        hidden: Perceptron<32, Relu>,
        output: Perceptron<10, Softmax>,
    }
}

network! {
    /// A residual sum and a tanh between small layers.
    struct Residual<f32> {
        input: 5,
        stem: Perceptron<8, Tanh>,
        block: Perceptron<8, Sigmoid>(stem),
        skip: Sum(stem, block),
        output: Perceptron<3, Softmax>(skip),
    }
}

/// Set in the second process: it prints its values instead of comparing.
const CHILD: &str = "FERROFLOW_FUSED_PASSES_CHILD";

/// One tensor's values, with its name.
type Named = (String, Vec<f32>);

fn batch<const B: usize, const N: usize, const C: usize>(
    seed: u64,
) -> (Matrix<f32, B, N>, Matrix<f32, B, C>) {
    let mut rng = SeededRng::seed_from_u64(seed);
    let x = Matrix::from_fn(|_, _| rng.random_range(-2.0..2.0));
    let labels = Matrix::from_fn(|_, c| f32::from(u8::from(c == 0)));
    (x, labels)
}

/// Outputs, loss and every gradient of each network, on one sample and on a batch.
fn values() -> Vec<Named> {
    let mut out: Vec<Named> = Vec::new();
    let mut push = |name: &str, v: &[f32]| out.push((name.to_owned(), v.to_vec()));

    let net = Tutorial::random(&mut SeededRng::seed_from_u64(1));
    let (x, labels) = batch::<1, 2, 2>(2);
    push("tutorial b1 outputs", net.forward(&x).as_slice());
    let (loss, g) = Network::gradients(&net, &x, &labels);
    push("tutorial b1 loss", &[loss]);
    push("tutorial b1 hidden weights", g.hidden.weights.as_slice());
    push("tutorial b1 hidden bias", g.hidden.bias.as_slice());
    push("tutorial b1 output weights", g.output.weights.as_slice());
    let (x, labels) = batch::<32, 2, 2>(3);
    push("tutorial b32 outputs", net.forward(&x).as_slice());
    let (loss, g) = Network::gradients(&net, &x, &labels);
    push("tutorial b32 loss", &[loss]);
    push("tutorial b32 hidden weights", g.hidden.weights.as_slice());

    let net = Middle::random(&mut SeededRng::seed_from_u64(4));
    let (x, labels) = batch::<32, 64, 10>(5);
    push("middle outputs", net.forward(&x).as_slice());
    let (loss, g) = Network::gradients(&net, &x, &labels);
    push("middle loss", &[loss]);
    push("middle hidden weights", g.hidden.weights.as_slice());
    push("middle output weights", g.output.weights.as_slice());
    push("middle output bias", g.output.bias.as_slice());

    // A batch whose workspace is on the heap (over `workspace::STACK_LIMIT`), and training
    // steps: the forward passes fused, the backward passes and updates as built.
    let mut net = Middle::random(&mut SeededRng::seed_from_u64(8));
    let (x, labels) = batch::<256, 64, 10>(9);
    push("middle b256 outputs", net.forward(&x).as_slice());
    let mut adam = Adam::new(0.01);
    for _ in 0..3 {
        net.train_step(&x, &labels, &mut adam);
    }
    push("middle b256 hidden weights after 3 Adam steps", net.hidden.weights.as_slice());
    push("middle b256 output bias after 3 Adam steps", net.output.bias.as_slice());

    let net = Residual::random(&mut SeededRng::seed_from_u64(6));
    let (x, labels) = batch::<4, 5, 3>(7);
    push("residual outputs", net.forward(&x).as_slice());
    let (loss, g) = Network::gradients(&net, &x, &labels);
    push("residual loss", &[loss]);
    push("residual stem weights", g.stem.weights.as_slice());
    push("residual block weights", g.block.weights.as_slice());
    out
}

/// The values the build's own code computes, from a second run of this test.
fn as_built() -> Vec<Named> {
    let run = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "a_pass_in_the_chosen_variant_stays_within_ulp_of_the_build",
            "--nocapture",
        ])
        .env(CHILD, "1")
        .env("FERROFLOW_ISA", "build")
        .output()
        .unwrap();
    let stdout = String::from_utf8(run.stdout).unwrap();
    assert!(run.status.success(), "the second process failed: {stdout}");
    let parsed: Vec<Named> = stdout
        .lines()
        // Anywhere in a line: run on one thread, libtest prints the test's name before it.
        .filter_map(|line| line.find("values\t").map(|at| &line[at + "values\t".len()..]))
        .map(|line| {
            let (name, bits) = line.split_once('\t').unwrap();
            let values = bits
                .split(' ')
                .map(|b| f32::from_bits(u32::from_str_radix(b, 16).unwrap()))
                .collect();
            (name.to_owned(), values)
        })
        .collect();
    assert!(!parsed.is_empty(), "the second process printed no values: {stdout}");
    parsed
}

#[test]
fn a_pass_in_the_chosen_variant_stays_within_ulp_of_the_build() {
    let here = values();
    if std::env::var_os(CHILD).is_some() {
        assert_eq!(ferroflow::kernels::selected(), "build target");
        for (name, v) in &here {
            let bits: Vec<String> = v.iter().map(|x| format!("{:x}", x.to_bits())).collect();
            println!("values\t{name}\t{}", bits.join(" "));
        }
        return;
    }
    let built = as_built();
    assert_eq!(here.len(), built.len());
    let fused = ferroflow::kernels::selected() != "build target";
    let mut worst = (0.0f32, String::new());
    for ((name, a), (built_name, b)) in here.iter().zip(&built) {
        assert_eq!(name, built_name);
        assert_eq!(a.len(), b.len(), "{name}");
        assert!(a.iter().chain(b).all(|v| v.is_finite()), "{name}: not finite: {a:?} {b:?}");
        if !fused {
            // No wider variant here: both processes ran the build's code.
            let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(a), bits(b), "{name}: the same code, other bits");
            continue;
        }
        // In ulp of the tensor's largest magnitude: a gradient near zero is a difference
        // of terms of that size, and each rounding moves it by an ulp of those.
        let scale = b.iter().fold(f32::MIN_POSITIVE, |m, x| m.max(x.abs()));
        for (x, y) in a.iter().zip(b) {
            let ulp = (x - y).abs() / (scale * f32::EPSILON);
            if ulp > worst.0 {
                worst = (ulp, name.clone());
            }
        }
    }
    // Measured on a Zen 3 (AVX2, FMA): at most 1 to 2 ulp. Fused and unfused roundings of
    // the same sums in the same order cannot drift further in one pass; a pass that
    // summed in another order, or lost a term, would.
    assert!(worst.0 <= 8.0, "{} ulp apart in {}", worst.0, worst.1);
    if fused {
        // Else the variant did not fuse (or did not run), and this test checked nothing.
        assert!(worst.0 > 0.0, "the chosen variant computed the build's bits");
    }
    eprintln!("fused against built: at most {} ulp ({})", worst.0, worst.1);
}

/// A training step against `gradients` then `apply_gradients`, to the bit: both run their
/// backward pass as built (only the forward pass fuses), on every processor.
fn step_is_gradients_then_apply<Net, const I: usize, const O: usize, const B: usize>(
    mut net: Net,
    x: &Matrix<f32, B, I>,
    labels: &Matrix<f32, B, O>,
) where
    Net: Network<f32, I, O> + Parameters<f32> + Clone,
{
    let mut by_parts = net.clone();
    let (loss, gradients) = Network::gradients(&by_parts, x, labels);
    by_parts.apply_gradients(&gradients, &mut GradientDescent::new(0.5));
    let reported = Network::train_step(&mut net, x, labels, &mut GradientDescent::new(0.5));
    assert_eq!(loss.to_bits(), reported.to_bits());
    let mut stepped = Vec::new();
    net.for_each_param(&mut |_, v| stepped.extend(v.iter().map(|x| x.to_bits())));
    let mut parts = Vec::new();
    by_parts.for_each_param(&mut |_, v| parts.extend(v.iter().map(|x| x.to_bits())));
    assert_eq!(stepped, parts);
}

#[test]
fn a_step_is_its_gradients_applied_to_the_bit() {
    let (x, labels) = batch::<32, 2, 2>(10);
    step_is_gradients_then_apply(Tutorial::random(&mut SeededRng::seed_from_u64(11)), &x, &labels);
    let (x, labels) = batch::<4, 5, 3>(12);
    step_is_gradients_then_apply(Residual::random(&mut SeededRng::seed_from_u64(13)), &x, &labels);
    let (x, labels) = batch::<32, 64, 10>(14);
    step_is_gradients_then_apply(Middle::random(&mut SeededRng::seed_from_u64(15)), &x, &labels);
}
