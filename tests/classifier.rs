//! A classifier keeps its class names with its weights: saved, reloaded, exported, and
//! refused with a reason when the names are missing or do not fit.
#![cfg(feature = "std")]

use ferroflow::io::{Classifier, WeightsErrorKind, safetensors};
use ferroflow::prelude::*;

network! {
    struct Three<f64> {
        input: 2,
        output: Perceptron<3, Softmax>,
    }
}

type Model = Preprocessed<f64, Three, 2>;

fn classifier() -> Classifier<Model, 3> {
    let net = Three::new(Perceptron::from_arrays([[1.0, 0.0], [0.0, 1.0], [-1.0, -1.0]], [0.0; 3]));
    let model = Model::new(InputScaling::new([100.0, 10.0], [0.1, 1.0]), net);
    Classifier::new(model, ["wide \"one\"", "tall", "small"].map(String::from))
}

fn temp(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("ferroflow-classifier-{}", std::process::id())).join(name)
}

#[test]
fn names_travel_with_the_weights_and_the_scaling() {
    let model = classifier();
    // Raw (120, 10) scales to (2, 0): the first output is the largest.
    assert_eq!(model.predict_label(&[120.0, 10.0]), "wide \"one\"");
    assert_eq!(model.predict_label(&[100.0, 13.0]), "tall");
    assert_eq!(model.predict_label(&[80.0, 7.0]), "small");
    let path = temp("in/a/new/folder/model.safetensors");
    model.save(&path).unwrap();
    let loaded = Classifier::<Model, 3>::load(&path).unwrap();
    assert_eq!(loaded, model);
    for raw in [[120.0, 10.0], [100.0, 13.0], [80.0, 7.0], [101.5, 9.25]] {
        assert_eq!(loaded.predict_label(&raw), model.predict_label(&raw));
    }
}

#[test]
fn missing_or_wrong_names_are_refused_with_the_reason() {
    let path = temp("bare.safetensors");
    safetensors::save(&classifier().net, &path, &[]).unwrap();
    let error = Classifier::<Model, 3>::load(&path).unwrap_err();
    assert!(matches!(error.kind, WeightsErrorKind::Metadata { .. }));
    assert!(
        error
            .to_string()
            .ends_with("metadata \"classes\": missing: expected the names of the 3 classes"),
        "{error}"
    );
    safetensors::save(&classifier().net, &path, &[("classes", r#"["a", "b"]"#)]).unwrap();
    let error = Classifier::<Model, 3>::load(&path).unwrap_err();
    assert!(error.to_string().ends_with("expected 3 class names, found 2"), "{error}");
    safetensors::save(&classifier().net, &path, &[("classes", "a, b, c")]).unwrap();
    let error = Classifier::<Model, 3>::load(&path).unwrap_err();
    assert!(
        error.to_string().contains("expected a JSON list of 3 names, found \"a, b, c\""),
        "{error}"
    );
}

#[test]
fn the_rust_source_names_the_classes_with_escaped_literals() {
    let source = classifier().to_rust_source("Three", "MODEL").unwrap();
    assert!(source.contains("pub const MODEL_PREPROCESS_OFFSET: [f64; 2] = [100.0, 10.0];"));
    assert!(
        source.ends_with(
            "pub const MODEL_CLASSES: [&str; 3] = [\"wide \\\"one\\\"\", \"tall\", \"small\"];\n"
        ),
        "{source}"
    );
}
