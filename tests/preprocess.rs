//! Preprocessing inside the model: a `Preprocessed` network computes exactly what its
//! network computes on the scaled batch, trains on raw data, never trains its statistics,
//! and carries them through safetensors.
#![cfg(feature = "std")]

use ferroflow::data::{self, Dataset, Standardise};
use ferroflow::io::safetensors;
use ferroflow::io::{TensorMismatch, WeightsErrorKind};
use ferroflow::prelude::*;
use ferroflow::train::Trainer;

network! {
    struct Small<f64> {
        input: 2,
        output: Perceptron<3, Softmax>,
    }
}

network! {
    struct Digits<f32> {
        input: 64,
        hidden: Perceptron<32, Relu>,
        output: Perceptron<10, Softmax>,
    }
}

fn small() -> Small {
    Small::new(Perceptron::from_arrays([[0.5, -1.0], [0.25, 2.0], [-1.5, 0.75]], [0.1, -0.2, 0.3]))
}

fn scaling() -> InputScaling<f64, 2> {
    InputScaling::new([100.0, -3.0], [0.5, 4.0])
}

/// A raw batch and the same batch scaled by hand.
fn batches() -> (Matrix<f64, 2, 2>, Matrix<f64, 2, 2>) {
    let raw = from_rows([[102.0, -2.5], [96.0, -3.25]]);
    // (102 − 100)·0.5 = 1, (−2.5 + 3)·4 = 2; (96 − 100)·0.5 = −2, (−3.25 + 3)·4 = −1.
    (raw, from_rows([[1.0, 2.0], [-2.0, -1.0]]))
}

#[test]
fn every_pass_is_the_networks_on_the_scaled_batch() {
    let model = Preprocessed::new(scaling(), small());
    let (raw, scaled) = batches();
    let labels = from_rows([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]);
    assert_eq!(model.forward(&raw), small().forward(&scaled));
    assert_eq!(model.loss(&raw, &labels), small().loss(&scaled, &labels));
    assert_eq!(model.predict(&[102.0, -2.5]), small().predict(&[1.0, 2.0]));
    assert_eq!(model.classify(&[96.0, -3.25]), small().classify(&[-2.0, -1.0]));
    let (loss, gradients) = model.gradients(&raw, &labels);
    assert_eq!((loss, gradients), small().gradients(&scaled, &labels));

    // A training step moves the network's weights as it would on scaled data, with the
    // same optimizer state, and leaves the statistics alone.
    let (mut model, mut plain) = (model, small());
    let (mut adam, mut plain_adam) = (Adam::new(0.1), Adam::new(0.1));
    for _ in 0..3 {
        let loss = model.train_step(&raw, &labels, &mut adam);
        assert_eq!(loss, plain.train_step(&scaled, &labels, &mut plain_adam));
    }
    assert_eq!(model.net, plain);
    assert_eq!(model.scaling, scaling());
}

#[test]
fn a_large_batch_is_scaled_off_the_stack() {
    // 512 × 64 f32 values: 128 KiB, above the 64 KiB kept on the stack.
    let data = data::digits::<f32>();
    let x: Matrix<f32, 512, 64> = Matrix::from_fn(|r, c| data.sample(r).0[c]);
    let scaling = Standardise::fit(&data).scaling();
    let mut scaled = x;
    for mut row in scaled.row_iter_mut() {
        for (j, v) in row.iter_mut().enumerate() {
            *v = (*v - scaling.offset[j]) * scaling.scale[j];
        }
    }
    let net = Digits::random(&mut SeededRng::seed_from_u64(1));
    let model = Preprocessed::new(scaling, net.clone());
    assert_eq!(model.forward(&x), net.forward(&scaled));
}

/// The digits with every pixel count multiplied by 100: raw features far from unit scale.
fn raw_digits() -> (Dataset<f32, 64, 10>, Dataset<f32, 64, 10>) {
    let mut data = data::digits::<f32>();
    data.scale(100.0);
    data.split(0.25, &mut SeededRng::seed_from_u64(3)).unwrap()
}

#[test]
fn a_model_trained_on_raw_data_saves_and_reloads_with_its_statistics() {
    let (train, test) = raw_digits();
    let scaling = Standardise::fit(&train).scaling();
    let mut model = Preprocessed::new(scaling, Digits::random(&mut SeededRng::seed_from_u64(4)));
    let mut adam = Adam::new(0.01);
    let mut trainer = Trainer::new(&train, 5).batch_size::<32>().epochs(4).quiet();
    while trainer.epoch(&mut model, &mut adam).unwrap().is_some() {}
    assert_eq!(model.scaling, scaling, "training never touches the statistics");
    let accuracy = test.evaluate(&model).accuracy;
    assert!(accuracy > 0.9, "raw inputs, scaled inside the model: {accuracy}");

    let bytes = safetensors::to_bytes(&model, &[]);
    let mut loaded = Preprocessed::new(InputScaling::identity(), Digits::zeros());
    safetensors::from_bytes(&mut loaded, &bytes).unwrap();
    assert_eq!(loaded, model);
    for i in 0..20 {
        let raw = test.sample(i).0;
        assert_eq!(loaded.predict(raw), model.predict(raw));
    }

    // The network's weights alone are not the model: loading them into a preprocessed
    // model reports the missing statistics, by name.
    let bare = safetensors::to_bytes(&model.net, &[]);
    let error = safetensors::from_bytes(&mut loaded, &bare).unwrap_err();
    let WeightsErrorKind::Mismatch(mismatches) = &error.kind else { panic!("{error}") };
    assert_eq!(
        mismatches[..],
        [
            TensorMismatch::Missing { name: "preprocess.offset".into(), shape: vec![64] },
            TensorMismatch::Missing { name: "preprocess.scale".into(), shape: vec![64] },
        ]
    );
}
