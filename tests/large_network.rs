//! An MNIST-sized network (784 → 128 → 10, 101 770 parameters, 407 kB in `f32`) trains in
//! a thread with a 2 MiB stack, in a debug build too: large layers must not be copied
//! around on the stack.

use ferroflow::prelude::*;

network! {
    /// W3 of issue 7.
    struct Large<f32> {
        input: 784,
        hidden: Perceptron<128, Sigmoid>,
        output: Perceptron<10, Softmax>,
    }
}

network! {
    /// Large enough that its hidden layer is boxed (200 · 100 ≥ 16 Ki weights).
    struct Medium<f64> {
        input: 200,
        hidden: Perceptron<100, Tanh>,
        second: Perceptron<20, Sigmoid>,
        output: Perceptron<10, Softmax>,
    }
}

const BATCH: usize = 64;

/// Flat copy of every parameter, in `for_each_param` order.
fn flat<N: Parameters<f64>>(net: &N) -> Vec<f64> {
    let mut out = Vec::new();
    net.for_each_param(&mut |_, values| out.extend_from_slice(values));
    out
}

#[test]
fn fused_training_step_equals_backward_then_apply_gradients() {
    let mut rng = SeededRng::seed_from_u64(5);
    let mut x: Box<Matrix<f64, 16, 200>> = Box::new(Matrix::zeros());
    let mut labels: Box<Matrix<f64, 16, 10>> = Box::new(Matrix::zeros());
    for b in 0..16 {
        for i in 0..200 {
            x[(b, i)] = ferroflow::init::uniform(&mut rng, -1.0, 1.0);
        }
        labels[(b, (b * 7) % 10)] = 1.0;
    }
    let mut fused = Box::new(Medium::random(&mut rng));
    fused.for_each_param_mut(&mut |_, values| {
        for v in values.iter_mut() {
            *v += ferroflow::init::uniform(&mut rng, -0.05, 0.05);
        }
    });
    let mut reference = fused.clone();
    // Adam keeps state at each scalar's offset, so a misplaced offset would show.
    let mut adam_fused = Adam::new(0.01);
    let mut adam_reference = Adam::new(0.01);
    for _ in 0..3 {
        let loss_fused = fused.train_step(&*x, &*labels, &mut adam_fused);
        let (loss_reference, gradients) = Network::gradients(&*reference, &*x, &*labels);
        reference.apply_gradients(&gradients, &mut adam_reference);
        assert!((loss_fused - loss_reference).abs() < 1e-12, "{loss_fused} vs {loss_reference}");
        let (a, b) = (flat(&*fused), flat(&*reference));
        assert_eq!(a.len(), Medium::PARAM_COUNT);
        let worst = a.iter().zip(&b).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
        // Only the order of the sums differs; Adam's first steps move each weight by ~0.01.
        assert!(worst < 1e-9, "largest difference {worst}");
    }
}

#[test]
fn mnist_sized_network_trains_in_a_2_mib_thread() {
    let losses = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            let mut rng = SeededRng::seed_from_u64(11);
            // A fixed batch of 64 "images" in [0, 1) with classes 0..10.
            let mut x: Box<Matrix<f32, BATCH, 784>> = Box::new(Matrix::zeros());
            let mut labels: Box<Matrix<f32, BATCH, 10>> = Box::new(Matrix::zeros());
            for b in 0..BATCH {
                for i in 0..784 {
                    x[(b, i)] = ferroflow::init::uniform(&mut rng, 0.0, 1.0) as f32;
                }
                labels[(b, b % 10)] = 1.0;
            }
            let mut net = Box::new(Large::random(&mut rng));
            let mut sgd = GradientDescent::new(0.05);
            let losses: Vec<f32> =
                (0..5).map(|_| net.train_step(&*x, &*labels, &mut sgd)).collect();
            let clone = net.clone();
            (losses, net.loss(&*x, &*labels), clone.loss(&*x, &*labels))
        })
        .expect("spawn")
        .join()
        .expect("training must not overflow a 2 MiB stack");
    let (losses, last, cloned) = losses;
    // Random weights on 10 classes start near ln 10.
    assert!((losses[0] - 10f32.ln()).abs() < 0.5, "{losses:?}");
    assert!(losses.windows(2).all(|w| w[1] < w[0]), "every step lowers the loss: {losses:?}");
    assert!(last < losses[4], "{last} after {losses:?}");
    assert_eq!(last, cloned);
}

network! {
    /// The MNIST shape with a generic hidden width: a layer whose size the macro cannot
    /// compute lives on the heap like a large one.
    struct Sweep<f32, const H: usize> {
        input: 784,
        hidden: Perceptron<H, Relu>,
        output: Perceptron<10, Softmax>,
    }
}

#[test]
fn generic_widths_and_adam_train_mnist_sized_layers_in_a_2_mib_thread() {
    let losses = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            let mut rng = SeededRng::seed_from_u64(12);
            let mut x: Box<Matrix<f32, BATCH, 784>> = Box::new(Matrix::zeros());
            let mut labels: Box<Matrix<f32, BATCH, 10>> = Box::new(Matrix::zeros());
            for b in 0..BATCH {
                for i in 0..784 {
                    x[(b, i)] = ferroflow::init::uniform(&mut rng, 0.0, 1.0) as f32;
                }
                labels[(b, b % 10)] = 1.0;
            }
            // Adam's moments are two more copies of the network's gradients: 2 × 407 kB
            // for the hidden layer at H = 128, on the heap with the layer.
            let mut net = Box::new(Sweep::<128>::random(&mut rng));
            let mut adam = Adam::new(1e-3);
            (0..5).map(|_| net.train_step(&*x, &*labels, &mut adam)).collect::<Vec<f32>>()
        })
        .expect("spawn")
        .join()
        .expect("training must not overflow a 2 MiB stack");
    assert!((losses[0] - 10f32.ln()).abs() < 1.0, "{losses:?}");
    assert!(losses[4] < losses[0], "Adam lowers the loss: {losses:?}");
}
