//! safetensors: files ferroflow writes read back bit for bit, their layout is the format's,
//! and every way a file can differ from the model or break the format is reported.
#![cfg(feature = "std")]

#[path = "support/two_layer.rs"]
mod two_layer;

use ferroflow::io::safetensors::{self, from_bytes, load, save, to_bytes};
use ferroflow::io::{TensorMismatch, WeightsErrorKind};
use ferroflow::optim::Parameters;
use ferroflow::prelude::*;
use serde_json::Value;
use two_layer::random;

/// The header of a safetensors file, parsed independently of the library.
fn header(bytes: &[u8]) -> (usize, Value) {
    let n = u64::from_le_bytes(bytes[..8].try_into().unwrap()) as usize;
    (n, serde_json::from_slice(&bytes[8..8 + n]).unwrap())
}

/// A file assembled by hand from a header text and data bytes.
fn assemble(header: &str, data: &[u8]) -> Vec<u8> {
    let mut bytes = (header.len() as u64).to_le_bytes().to_vec();
    bytes.extend_from_slice(header.as_bytes());
    bytes.extend_from_slice(data);
    bytes
}

fn f32_bytes(values: &[f32]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

#[test]
fn a_perceptron_is_written_in_the_formats_layout() {
    let p = Perceptron::<f32, 3, 2, Sigmoid>::from_arrays(
        [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]],
        [-0.5, 0.25],
    );
    let bytes = to_bytes(&p, &[("format", "pt")]);
    let (n, header) = header(&bytes);
    assert_eq!((8 + n) % 8, 0, "the data starts 8-byte aligned");
    assert_eq!(header["__metadata__"]["format"], "pt");
    assert_eq!(header["weight"]["dtype"], "F32");
    assert_eq!(header["weight"]["shape"], serde_json::json!([2, 3]));
    // The tensors in name order, as the safetensors crate (and Python's writer) lays them out.
    assert_eq!(header["bias"]["shape"], serde_json::json!([2]));
    assert_eq!(header["bias"]["data_offsets"], serde_json::json!([0, 8]));
    assert_eq!(header["weight"]["data_offsets"], serde_json::json!([8, 32]));
    // nn.Linear's layout: row o of the weight holds unit o's input weights.
    assert_eq!(&bytes[8 + n..], f32_bytes(&[-0.5, 0.25, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0]));
    let text = std::str::from_utf8(&bytes[8..8 + n]).unwrap();
    assert!(
        text.starts_with(r#"{"__metadata__":{"format":"pt"},"bias":{"dtype":"F32","#),
        "{text}"
    );
    // No metadata: no __metadata__ entry.
    assert!(header_of(&to_bytes(&p, &[])).get("__metadata__").is_none());
}

fn header_of(bytes: &[u8]) -> Value {
    header(bytes).1
}

#[test]
fn round_trips_are_bit_exact_in_f32_and_f64() {
    let mut rng = SeededRng::seed_from_u64(11);
    let p32 = Perceptron::<f32, 5, 4, Tanh>::random(&mut rng);
    let mut back = Perceptron::<f32, 5, 4, Tanh>::zeros();
    from_bytes(&mut back, &to_bytes(&p32, &[])).unwrap();
    assert!(p32.weights.iter().zip(back.weights.iter()).all(|(a, b)| a.to_bits() == b.to_bits()));
    assert_eq!(back, p32);

    let mut p64 = Perceptron::<f64, 2, 3, Relu>::random(&mut rng);
    p64.bias[1] = 0.1 + 0.2; // a value with all 53 bits in use
    let bytes = to_bytes(&p64, &[]);
    assert_eq!(header_of(&bytes)["bias"]["dtype"], "F64");
    let mut back = Perceptron::<f64, 2, 3, Relu>::zeros();
    from_bytes(&mut back, &bytes).unwrap();
    assert_eq!(back.bias[1].to_bits(), (0.1f64 + 0.2).to_bits());
    assert_eq!(back, p64);
}

#[test]
fn a_two_layer_model_uses_state_dict_names() {
    let model = random(1);
    let bytes = to_bytes(&model, &[]);
    let header = header_of(&bytes);
    let names: Vec<&String> = header.as_object().unwrap().keys().collect();
    assert_eq!(names, ["hidden.bias", "hidden.weight", "output.bias", "output.weight"]);
    assert_eq!(header["hidden.weight"]["shape"], serde_json::json!([3, 4]));
    assert_eq!(header["output.weight"]["shape"], serde_json::json!([2, 3]));

    let path =
        std::env::temp_dir().join(format!("ferroflow-{}-two.safetensors", std::process::id()));
    save(&model, &path, &[]).unwrap();
    let mut back = random(2);
    assert_ne!(back, model);
    load(&mut back, &path).unwrap();
    assert_eq!(back, model);
    std::fs::remove_file(&path).unwrap();
    let error = load(&mut back, &path).unwrap_err();
    assert!(matches!(error.kind, WeightsErrorKind::Io(_)));
    assert!(error.to_string().starts_with(&path.display().to_string()), "{error}");
}

network! {
    /// The same shapes, generated.
    struct Generated<f32> {
        input: 4,
        hidden: Perceptron<3, Sigmoid>,
        output: Perceptron<2, Softmax>,
    }
}

#[test]
fn a_generated_network_and_a_hand_written_model_share_the_format() {
    let model = random(3);
    let mut net = Generated::zeros();
    from_bytes(&mut net, &to_bytes(&model, &[])).unwrap();
    assert_eq!(net.hidden, model.hidden);
    assert_eq!(net.output, model.output);
    assert_eq!(to_bytes(&net, &[]), to_bytes(&model, &[]));
}

#[test]
fn a_file_written_by_hand_loads() {
    // What Python writes for a state dict {"weight": [[1, 2]], "bias": [3]}: sorted keys,
    // no padding, data in the header's order.
    let text = r#"{"bias":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"weight":{"dtype":"F32","shape":[1,2],"data_offsets":[4,12]}}"#;
    let bytes = assemble(text, &f32_bytes(&[3.0, 1.0, 2.0]));
    let mut p = Perceptron::<f32, 2, 1, Sigmoid>::zeros();
    from_bytes(&mut p, &bytes).unwrap();
    assert_eq!(p, Perceptron::from_arrays([[1.0, 2.0]], [3.0]));
}

#[test]
fn every_mismatch_is_reported_and_the_model_is_left_alone() {
    // A file for 4 → 5 → 2 with an extra tensor and the output bias in f64.
    let hidden_weight = f32_bytes(&[0.0; 20]);
    let text = r#"{"hidden.weight":{"dtype":"F32","shape":[5,4],"data_offsets":[0,80]},"hidden.bias":{"dtype":"F32","shape":[5],"data_offsets":[80,100]},"output.weight":{"dtype":"F32","shape":[2,5],"data_offsets":[100,140]},"output.bias":{"dtype":"F64","shape":[2],"data_offsets":[140,156]},"extra.scale":{"dtype":"F32","shape":[],"data_offsets":[156,160]}}"#;
    let mut data = hidden_weight;
    data.extend(f32_bytes(&[0.0; 5 + 10]));
    data.extend(std::iter::repeat_n(0u8, 16 + 4));
    let bytes = assemble(text, &data);
    let mut model = random(4);
    let before = model.clone();
    let error = from_bytes(&mut model, &bytes).unwrap_err();
    assert_eq!(model, before);
    let WeightsErrorKind::Mismatch(mismatches) = &error.kind else { panic!("{error:?}") };
    assert_eq!(
        mismatches,
        &[
            TensorMismatch::Shape {
                name: "hidden.weight".into(),
                expected: vec![3, 4],
                found: vec![5, 4]
            },
            TensorMismatch::Shape { name: "hidden.bias".into(), expected: vec![3], found: vec![5] },
            TensorMismatch::Shape {
                name: "output.weight".into(),
                expected: vec![2, 3],
                found: vec![2, 5]
            },
            TensorMismatch::Dtype {
                name: "output.bias".into(),
                expected: "F32",
                found: "F64".into()
            },
            TensorMismatch::Unexpected { name: "extra.scale".into(), shape: vec![] },
        ]
    );
    let message = error.to_string();
    assert!(message.starts_with("<memory>: 5 tensors differ from the model's\n"), "{message}");
    assert!(message.contains("\n  output.bias: expected dtype F32, found F64"), "{message}");
    assert!(
        message
            .contains("\n  extra.scale: in the file (shape []), but the model has no such tensor")
    );

    // A file for a single perceptron misses both layers' names.
    let lone = to_bytes(&Perceptron::<f32, 4, 3, Sigmoid>::zeros(), &[]);
    let error = from_bytes(&mut model, &lone).unwrap_err();
    let WeightsErrorKind::Mismatch(mismatches) = &error.kind else { panic!("{error:?}") };
    assert_eq!(mismatches.len(), 6);
    assert_eq!(
        mismatches[0],
        TensorMismatch::Missing { name: "hidden.weight".into(), shape: vec![3, 4] }
    );
    assert!(
        error
            .to_string()
            .contains("hidden.weight: missing from the file (the model has shape [3, 4])")
    );
}

/// The error for bytes that break the format, with its message.
fn malformed(bytes: &[u8]) -> (u64, String) {
    let mut p = Perceptron::<f32, 2, 1, Sigmoid>::zeros();
    let error = safetensors::from_bytes(&mut p, bytes).unwrap_err();
    assert_eq!(p, Perceptron::zeros());
    match error.kind {
        WeightsErrorKind::Malformed { offset, .. } => (offset, error.to_string()),
        other => panic!("expected a malformed file, found {other:?}"),
    }
}

const GOOD: &str = r#"{"weight":{"dtype":"F32","shape":[1,2],"data_offsets":[0,8]},"bias":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#;

/// The end of the message for a header that is not the format's JSON.
const NOT_THE_FORMAT: &str = "the header must be a JSON object of tensors, each with \"dtype\", \
                              \"shape\" and \"data_offsets\", and an optional \"__metadata__\" \
                              map of strings";

#[test]
fn broken_files_are_reported_with_the_place_and_the_reason() {
    let data = f32_bytes(&[1.0, 2.0, 3.0]);
    assert_eq!(
        malformed(&[1, 2, 3]),
        (
            0,
            "<memory>: byte 0: header too small: expected an 8-byte header length, found a file \
             of 3 bytes"
                .into()
        )
    );

    // A header length far beyond the file: refused before anything is read or allocated.
    let mut hostile = u64::MAX.to_le_bytes().to_vec();
    hostile.extend_from_slice(b"{}");
    assert_eq!(
        malformed(&hostile),
        (
            0,
            "<memory>: byte 0: header too large: the header length is 18446744073709551615 \
             bytes, but the file holds 2 after it"
                .into()
        )
    );
    let mut beyond = 40u64.to_le_bytes().to_vec();
    beyond.extend_from_slice(b"{}");
    assert_eq!(
        malformed(&beyond).1,
        "<memory>: byte 0: invalid header length: the header length is 40 bytes, but the file \
         holds 2 after it"
    );

    // JSON errors: where the parser stopped, in the file.
    assert_eq!(
        malformed(&assemble("{\"weight\":", &data)),
        (
            17,
            format!(
                "<memory>: byte 17: invalid JSON in header: EOF while parsing a value at line 1 \
                 column 10: {NOT_THE_FORMAT}"
            )
        )
    );
    let (offset, message) = malformed(&assemble("[1, 2]", &data));
    assert_eq!(offset, 8);
    assert!(message.contains("invalid type: sequence"), "{message}");
    assert!(message.ends_with(NOT_THE_FORMAT), "{message}");

    let text = r#"{"weight":{"dtype":"F32","shape":[1,2]}}"#;
    assert_eq!(
        malformed(&assemble(text, &data)),
        (
            47,
            format!(
                "<memory>: byte 47: invalid JSON in header: missing field `data_offsets` at line \
                 1 column 40: {NOT_THE_FORMAT}"
            )
        )
    );

    let mut bad_utf8 = assemble(r#"{"wyx":1}"#, &data);
    bad_utf8[11] = 0xff;
    assert_eq!(
        malformed(&bad_utf8),
        (
            11,
            "<memory>: byte 11: invalid UTF-8 in header: invalid utf-8 sequence of 1 bytes from \
             index 3: the header must be UTF-8 text"
                .into()
        )
    );

    // A tensor's size against its shape: the tensor is named, with both sizes.
    let text = GOOD.replace("[8,12]", "[8,16]");
    assert_eq!(
        malformed(&assemble(&text, &data)),
        (
            8,
            "<memory>: byte 8: invalid shape, data type, or offset for tensor: tensor \"bias\" of \
             dtype F32 and shape [1] takes 4 bytes, but its data_offsets [8, 16] span 8"
                .into()
        )
    );
    let text = GOOD.replace("[0,8]", "[0,4]").replace("[8,12]", "[4,12]");
    let message = malformed(&assemble(&text, &data)).1;
    assert!(message.ends_with(r#"tensor "bias" of dtype F32 and shape [1] takes 4 bytes, but its data_offsets [4, 12] span 8"#), "{message}");

    // A gap between tensors.
    let mut longer = data.clone();
    longer.extend_from_slice(&[0; 4]);
    let text = GOOD.replace("[8,12]", "[12,16]");
    assert_eq!(
        malformed(&assemble(&text, &longer)),
        (
            8,
            "<memory>: byte 8: invalid offset for tensor `bias`: in the order of their \
             data_offsets, each tensor's data must start where the one before ends (the first \
             at 0)"
                .into()
        )
    );

    // Bytes after the last tensor: the place is where the data starts.
    assert_eq!(
        malformed(&assemble(GOOD, &longer)),
        (
            8 + GOOD.len() as u64,
            format!(
                "<memory>: byte {}: incomplete metadata, file not fully covered: the tensors' \
                 data_offsets must end where the file does, after the 16 bytes that follow the \
                 header",
                8 + GOOD.len()
            )
        )
    );

    let text = GOOD.replacen('{', r#"{"__metadata__":{"epochs":10},"#, 1);
    let message = malformed(&assemble(&text, &data)).1;
    assert!(
        message.starts_with(
            "<memory>: byte 35: invalid JSON in header: invalid type: integer `10`, expected a \
             string at line 1 column 28"
        ),
        "{message}"
    );

    // A dtype the format does not define.
    let text = GOOD.replace(r#""F32","shape":[1]"#, r#""Q4","shape":[1]"#);
    let message = malformed(&assemble(&text, &data)).1;
    assert!(message.contains("invalid JSON in header: unknown variant `Q4`"), "{message}");

    // The same file, well formed, loads.
    let mut p = Perceptron::<f32, 2, 1, Sigmoid>::zeros();
    safetensors::from_bytes(&mut p, &assemble(GOOD, &data)).unwrap();
    assert_eq!(p, Perceptron::from_arrays([[1.0, 2.0]], [3.0]));
}

#[test]
fn a_size_mismatch_in_a_foreign_dtype_is_still_a_dtype_mismatch() {
    // Half precision from PyTorch: readable structure, refused element type.
    let text = r#"{"weight":{"dtype":"F16","shape":[1,2],"data_offsets":[0,4]},"bias":{"dtype":"F16","shape":[1],"data_offsets":[4,6]}}"#;
    let mut p = Perceptron::<f32, 2, 1, Sigmoid>::zeros();
    let error = safetensors::from_bytes(&mut p, &assemble(text, &[0; 6])).unwrap_err();
    let WeightsErrorKind::Mismatch(mismatches) = &error.kind else { panic!("{error:?}") };
    assert!(
        mismatches
            .iter()
            .all(|m| matches!(m, TensorMismatch::Dtype { found, .. } if found == "F16"))
    );
    assert_eq!(<Perceptron<f32, 2, 1, Sigmoid> as Parameters<f32>>::PARAM_COUNT, 3);
}

#[test]
fn a_tensor_named_twice_is_refused_by_name_even_when_the_last_is_valid() {
    let data = f32_bytes(&[1.0, 2.0, 3.0]);
    // The first "bias" is broken, the second fine: a JSON map would keep only the second.
    let text = GOOD.replacen(
        r#""bias":"#,
        r#""bias":{"dtype":"I8","shape":[7],"data_offsets":[0,1]},"bias":"#,
        1,
    );
    let mut p = Perceptron::<f32, 2, 1, Sigmoid>::zeros();
    let error = from_bytes(&mut p, &assemble(&text, &data)).unwrap_err();
    assert!(matches!(&error.kind, WeightsErrorKind::DuplicateTensor { name } if name == "bias"));
    assert_eq!(
        error.to_string(),
        "<memory>: the header describes tensor \"bias\" more than once; a file must name each \
         tensor once"
    );
    assert_eq!(p, Perceptron::zeros(), "the model is left as it was");
}

#[test]
fn non_finite_weights_are_refused_when_loading_and_when_saving() {
    for bad in [f32::NAN, f32::INFINITY, f32::NEG_INFINITY] {
        let data = f32_bytes(&[1.0, 2.0, bad]);
        let mut p = Perceptron::<f32, 2, 1, Sigmoid>::zeros();
        let error = from_bytes(&mut p, &assemble(GOOD, &data)).unwrap_err();
        let WeightsErrorKind::NonFinite { tensor, index, value } = &error.kind else {
            panic!("{error:?}")
        };
        assert_eq!((tensor.as_str(), *index), ("bias", 0));
        assert_eq!(value.to_bits(), f64::from(bad).to_bits());
        assert_eq!(p, Perceptron::zeros(), "the model is left as it was");
    }
    let data = f32_bytes(&[1.0, f32::NAN, 3.0]);
    let error = from_bytes(&mut Perceptron::<f32, 2, 1, Sigmoid>::zeros(), &assemble(GOOD, &data))
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "<memory>: weight[1] is NaN: weights must be finite numbers (a training that diverged \
         leaves NaN or infinite weights)"
    );

    let diverged = Perceptron::<f64, 2, 1, Sigmoid>::from_arrays([[0.5, f64::INFINITY]], [0.0]);
    let path =
        std::env::temp_dir().join(format!("ferroflow-nan-{}.safetensors", std::process::id()));
    let error = save(&diverged, &path, &[]).unwrap_err();
    assert!(matches!(error.kind, WeightsErrorKind::NonFinite { index: 1, .. }), "{error:?}");
    assert!(!path.exists(), "nothing written");
}

/// A fresh folder under the temporary one, for this process and `name`.
fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("ferroflow-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn save_creates_the_missing_folders() {
    let dir = scratch("folders");
    let path = dir.join("runs").join("7").join("model.safetensors");
    let model = random(5);
    save(&model, &path, &[]).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), to_bytes(&model, &[]));
    // A folder that cannot be made is an I/O error naming the file.
    let blocked = path.join("below-a-file.safetensors");
    let error = save(&model, &blocked, &[]).unwrap_err();
    assert!(matches!(error.kind, WeightsErrorKind::Io(_)), "{error:?}");
    assert!(error.to_string().starts_with(&blocked.display().to_string()), "{error}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn metadata_is_written_in_key_order_and_read_back() {
    let model = random(6);
    let pairs = [("classes", "cat,dog"), ("by", "ferroflow"), ("epochs", "3"), ("by", "me")];
    let bytes = to_bytes(&model, &pairs);
    // The same bytes every time (the crate's own map would change the order from run to
    // run), the keys sorted, a repeated key keeping its last value.
    for _ in 0..8 {
        assert_eq!(to_bytes(&model, &pairs), bytes);
    }
    let (n, _) = header(&bytes);
    let text = std::str::from_utf8(&bytes[8..8 + n]).unwrap();
    assert!(
        text.starts_with(
            r#"{"__metadata__":{"by":"me","classes":"cat,dog","epochs":"3"},"hidden.bias":"#
        ),
        "{text}"
    );
    assert_eq!((8 + n) % 8, 0, "the data starts 8-byte aligned");

    let expected: std::collections::BTreeMap<String, String> =
        [("by", "me"), ("classes", "cat,dog"), ("epochs", "3")]
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .into();
    assert_eq!(safetensors::metadata_from_bytes(&bytes).unwrap(), expected);
    let mut back = random(7);
    assert_eq!(from_bytes(&mut back, &bytes).unwrap(), expected);
    assert_eq!(back, model);

    let dir = scratch("metadata");
    let path = dir.join("model.safetensors");
    save(&model, &path, &pairs).unwrap();
    assert_eq!(safetensors::metadata(&path).unwrap(), expected);
    assert_eq!(load(&mut back, &path).unwrap(), expected);
    save(&model, &path, &[]).unwrap();
    assert!(safetensors::metadata(&path).unwrap().is_empty());
    // A broken file is reported as loading reports it.
    std::fs::write(&path, [1, 2, 3]).unwrap();
    let error = safetensors::metadata(&path).unwrap_err();
    assert!(matches!(error.kind, WeightsErrorKind::Malformed { offset: 0, .. }), "{error:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_network_is_made_from_a_file() {
    let model = random(8);
    let dir = scratch("load");
    let path = dir.join("model.safetensors");
    save(&model, &path, &[("classes", "red,blue")]).unwrap();

    let net = Generated::load(&path).unwrap();
    assert_eq!((net.hidden, net.output), (model.hidden, model.output));
    let (net, metadata) = Generated::load_with_metadata(&path).unwrap();
    assert_eq!(net.hidden, model.hidden);
    assert_eq!(metadata["classes"], "red,blue");
    let (net, _) = Generated::from_safetensors_bytes(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(net.output, model.output);
    assert_eq!(Generated::default(), Generated::zeros());

    // A file for another model is refused with the same report as `load`.
    let lone = to_bytes(&Perceptron::<f32, 4, 3, Sigmoid>::zeros(), &[]);
    let error = Generated::from_safetensors_bytes(&lone).unwrap_err();
    let WeightsErrorKind::Mismatch(mismatches) = &error.kind else { panic!("{error:?}") };
    assert_eq!(mismatches.len(), 6);
    let error = Generated::load(dir.join("absent.safetensors")).unwrap_err();
    assert!(matches!(error.kind, WeightsErrorKind::Io(_)), "{error:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_errors_chain_to_their_cause() {
    use std::error::Error;
    let error = from_bytes(&mut random(9), &[1, 2, 3]).unwrap_err();
    let source = error.source().expect("the kind is the source");
    assert_eq!(
        source.to_string(),
        "byte 0: header too small: expected an 8-byte header length, found a file of 3 bytes"
    );
    assert_eq!(error.to_string(), format!("<memory>: {source}"));
}
