//! Rust source export: the emitted text is pinned in `tests/rust_source/`, and those files
//! are compiled into this test, so the text is known to compile and to rebuild the very
//! weights it came from, bit for bit. Regenerate them with `FERROFLOW_BLESS=1 cargo test
//! --test rust_source_export` after a deliberate change of format.
#![cfg(feature = "std")]

#[path = "support/two_layer.rs"]
mod two_layer;

use ferroflow::io::to_rust_source;
use ferroflow::optim::Parameters;
use ferroflow::prelude::*;

mod perceptron_golden {
    use ferroflow::{Perceptron, Sigmoid};
    include!("rust_source/perceptron.rs");
}

mod two_layer_golden {
    use super::two_layer::TwoLayer;
    include!("rust_source/two_layer.rs");
}

mod generated_golden {
    use super::Generated;
    include!("rust_source/generated.rs");
}

mod preprocessed_golden {
    use super::Generated;
    include!("rust_source/preprocessed.rs");
}

network! {
    /// A network as `network!` generates it: its `new` takes the layers in order.
    pub struct Generated<f64> {
        input: 3,
        hidden: Perceptron<4, Tanh>,
        output: Perceptron<2, Softmax>,
    }
}

/// A perceptron whose values include every kind of float: the shortest round-trip
/// decimal, negative zero, a subnormal, the extremes, infinities and NaN.
fn awkward_perceptron() -> Perceptron<f32, 3, 2, Sigmoid> {
    Perceptron::from_arrays(
        [[0.1, -0.0, f32::MIN_POSITIVE / 3.0], [f32::MAX, 1e-30, -123456.79]],
        [f32::INFINITY, f32::NAN],
    )
}

fn generated() -> Generated {
    Generated::random(&mut SeededRng::seed_from_u64(5))
}

/// Every value's bits, in parameter order.
fn bits<T: Element, P: Parameters<T>>(params: &P) -> Vec<u64> {
    let mut out = Vec::new();
    params.for_each_param(&mut |_, values| {
        out.extend(values.iter().map(|v| match T::NAME {
            "f32" => u64::from((v.to_f64() as f32).to_bits()),
            _ => v.to_f64().to_bits(),
        }))
    });
    out
}

fn check_pinned(file: &str, source: &str) {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rust_source").join(file);
    if std::env::var_os("FERROFLOW_BLESS").is_some() {
        std::fs::write(&path, source).unwrap();
    }
    let pinned = std::fs::read_to_string(&path).unwrap();
    assert_eq!(source, pinned, "{file} differs from what the exporter writes now");
}

#[test]
fn a_perceptron_exports_to_source_that_rebuilds_it_bit_for_bit() {
    let p = awkward_perceptron();
    let source = to_rust_source(&p, "Perceptron<f32, 3, 2, Sigmoid>", "GATE").unwrap();
    check_pinned("perceptron.rs", &source);
    assert!(source.contains("f32::INFINITY, f32::NAN"));
    assert_eq!(bits(&perceptron_golden::GATE), bits(&p));
}

#[test]
fn a_two_layer_model_exports_with_its_positional_constructor() {
    let model = two_layer::random(7);
    let source = to_rust_source(&model, "TwoLayer", "TRAINED").unwrap();
    check_pinned("two_layer.rs", &source);
    assert!(source.contains("pub const TRAINED: TwoLayer = TwoLayer::new(\n"));
    assert_eq!(two_layer_golden::TRAINED, model);
    assert_eq!(bits(&two_layer_golden::TRAINED), bits(&model));
}

#[test]
fn a_generated_network_exports_in_f64() {
    let net = generated();
    let source = to_rust_source(&net, "Generated", "NET").unwrap();
    check_pinned("generated.rs", &source);
    assert!(source.contains("pub const NET_HIDDEN_WEIGHT: [[f64; 3]; 4] = ["));
    assert_eq!(generated_golden::NET, net);
    assert_eq!(bits(&generated_golden::NET), bits(&net));
    // The exported network computes what the trained one does.
    let x: Matrix<f64, 1, 3> = Matrix::from_row_slice(&[0.5, -1.0, 2.0]);
    assert_eq!(generated_golden::NET.forward(&x), net.forward(&x));
}

network! {
    /// A layer of 128 × 128 = `LARGE_LAYER` weights: `network!` boxes it, so `new` is not
    /// `const`.
    pub struct Large<f32> {
        input: 128,
        big: Perceptron<128, Sigmoid>,
        output: Perceptron<2, Softmax>,
    }
}

#[test]
fn a_network_with_a_boxed_layer_exports_a_function_not_a_const() {
    assert_eq!(128 * 128, ferroflow::perceptron::LARGE_LAYER);
    let source = to_rust_source(&Large::zeros(), "Large", "TRAINED").expect("exports");
    assert!(source.contains("pub fn trained() -> Large {"), "{}", &source[source.len() - 300..]);
    assert!(!source.contains("pub const TRAINED: Large"));
    assert!(source.contains("pub const TRAINED_BIG_WEIGHT: [[f32; 128]; 128]"));
    // The small network keeps its `const`.
    let small = to_rust_source(&generated(), "Generated", "TRAINED").expect("exports");
    assert!(small.contains("pub const TRAINED: Generated = Generated::new("));
}

#[test]
fn names_that_would_not_compile_are_refused_with_what_is_allowed() {
    let p = awkward_perceptron();
    let ty = "Perceptron<f32, 3, 2, Sigmoid>";
    for bad in ["a b\"c", "", "trained", "2FAST", "NET-1", "NÉT"] {
        let error = to_rust_source(&p, ty, bad).unwrap_err();
        assert!(
            error.to_string().starts_with(&format!(
                "the constant's name {bad:?} is not a Rust constant's name: write an upper-case letter"
            )),
            "{error}"
        );
    }
    for bad in ["My Net", "Mlp<16", "Mlp<>", "a b\"c", ":Net", "Net::", "&Net", "", "::"] {
        let error = to_rust_source(&p, bad, "NET").unwrap_err();
        assert!(error.to_string().contains("is not a Rust type"), "{bad:?}: {error}");
    }
    for good in ["Perceptron<f32, 3, 2, Sigmoid>", "::my_crate::Mlp<16>", "Outer<Inner<2>,3>"] {
        to_rust_source(&p, good, "N_2").unwrap_or_else(|e| panic!("{good:?}: {e}"));
    }
}

fn preprocessed() -> Preprocessed<f64, Generated, 3> {
    Preprocessed::new(InputScaling::new([1.5, -2.0, 0.0], [0.5, 4.0, 1.0]), generated())
}

#[test]
fn a_preprocessed_network_exports_its_scaling_and_rebuilds_bit_for_bit() {
    let source = to_rust_source(&preprocessed(), "Generated", "SCALED").unwrap();
    check_pinned("preprocessed.rs", &source);
    assert!(source.contains("pub const SCALED_PREPROCESS_OFFSET: [f64; 3] = [1.5, -2.0, 0.0];"));
    assert_eq!(bits(&preprocessed_golden::SCALED), bits(&preprocessed()));
    // The compiled model scales raw inputs as the exported one did.
    let raw = [3.0, -1.0, 2.0];
    assert_eq!(preprocessed_golden::SCALED.predict(&raw), preprocessed().predict(&raw));
    assert_ne!(preprocessed().predict(&raw), generated().predict(&raw));
}
