//! The fuzz targets' seeds, written from the project's own data and writers: IDX files
//! (raw and gzip) and CSV text of the built-in digits, and `safetensors::to_bytes` of
//! models. ferroflow reads IDX and CSV but writes neither, so the two small writers here
//! lay the digits out as the formats say (IDX: magic `0 0 type ndims`, big-endian `u32`
//! dimensions, big-endian values). `tests/fuzz_regressions.rs` checks that `fuzz/seeds/`
//! holds exactly these, and rewrites it when `FERROFLOW_WRITE_SEEDS=1`.

use super::checks::{self, Digits, FEATURES};
use ferroflow::io::safetensors;
use ferroflow::prelude::*;
use flate2::Compression;
use flate2::write::GzEncoder;
use std::io::Write;

/// One seed: the target it is for, its file name, its bytes.
pub struct Seed {
    /// The fuzz target's name (`idx`, `csv`, `safetensors`).
    pub target: &'static str,
    /// The file name under `fuzz/seeds/<target>/`.
    pub name: &'static str,
    /// The input, in the target's layout.
    pub bytes: Vec<u8>,
}

/// An IDX file: type code `code`, dimensions `dims`, values already big-endian.
fn idx_file(code: u8, dims: &[usize], values: &[u8]) -> Vec<u8> {
    let mut bytes = vec![0, 0, code, dims.len() as u8];
    for &d in dims {
        bytes.extend_from_slice(&u32::try_from(d).expect("a small dimension").to_be_bytes());
    }
    bytes.extend_from_slice(values);
    bytes
}

/// `bytes` gzip-compressed.
fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(bytes).expect("writing to memory");
    encoder.finish().expect("writing to memory")
}

/// The input of the `idx` target: the length of `images` in two bytes, then both files.
fn idx_input(images: &[u8], labels: &[u8]) -> Vec<u8> {
    let mut bytes = u16::try_from(images.len()).expect("a small file").to_le_bytes().to_vec();
    bytes.extend_from_slice(images);
    bytes.extend_from_slice(labels);
    bytes
}

/// The first `n` built-in digits, in the order they are stored (grouped by class), one of
/// each class first.
fn digits(n: usize) -> Digits {
    let all: Digits = ferroflow::data::digits();
    let mut picked: Vec<usize> = Vec::new();
    for class in 0..checks::CLASSES {
        picked.extend(all.labels().iter().position(|&l| l == class));
    }
    picked.truncate(n);
    all.subset(&picked).expect("one sample of each class")
}

/// CSV text of `data`: an optional header, then per line the label at `label` among the
/// features, fields separated by `delimiter`, each wrapped in quotes if `quoted`.
fn csv_text(data: &Digits, header: bool, label: usize, delimiter: char, quoted: bool) -> String {
    let field = |s: String| if quoted { format!("\"{s}\"") } else { s };
    let line = |mut fields: Vec<String>, last: String| {
        fields.insert(label, last);
        let fields: Vec<String> = fields.into_iter().map(field).collect();
        fields.join(&delimiter.to_string()) + "\n"
    };
    let mut text = String::new();
    if header {
        text += &line((0..FEATURES).map(|i| format!("pixel{i}")).collect(), "digit".into());
    }
    for i in 0..data.len() {
        let (features, class) = data.sample(i);
        text += &line(features.iter().map(|v| v.to_string()).collect(), class.to_string());
    }
    text
}

/// CSV text of `data` as people have it: a byte order mark, CRLF line breaks, the label
/// `digit` at column 10, a first column `extra` of quoted notes holding a comma, and a
/// last line whose 6th pixel is missing (`NA`).
fn people_csv(data: &Digits) -> String {
    let mut text = String::from("\u{feff}");
    let lines = csv_text(data, true, 10, ',', false) + &csv_text(data, false, 10, ',', false);
    for (i, line) in lines.lines().take(data.len() + 2).enumerate() {
        let mut line = line.to_owned();
        if i == data.len() + 1 {
            let fields: Vec<&str> = line.split(',').collect();
            line = [&fields[..5], &["NA"], &fields[6..]].concat().join(",");
        }
        let extra = if i == 0 { "extra".to_owned() } else { format!("\"note, {i}\"") };
        text += &format!("{extra},{line}\r\n");
    }
    text
}

/// Every seed, for all three targets.
pub fn seeds() -> Vec<Seed> {
    let data = digits(10);
    let n = data.len();
    let pixels_u8: Vec<u8> = data.features().iter().flatten().map(|&v| v as u8).collect();
    let pixels_f32: Vec<u8> =
        data.features().iter().flatten().flat_map(|v| v.to_be_bytes()).collect();
    let labels: Vec<u8> = data.labels().iter().map(|&l| l as u8).collect();
    let images_u8 = idx_file(0x08, &[n, 8, 8], &pixels_u8);
    let images_f32 = idx_file(0x0D, &[n, 64], &pixels_f32);
    let labels = idx_file(0x08, &[n], &labels);

    let csv = |flags: u8, index: u8, delimiter: char, text: String| {
        let mut bytes = vec![flags, index, delimiter as u8];
        bytes.extend_from_slice(text.as_bytes());
        bytes
    };
    let few = digits(4);

    let lone = Perceptron::<f32, 3, 4, Relu>::random(&mut SeededRng::seed_from_u64(5));
    let wide = Perceptron::<f64, 3, 4, Relu>::random(&mut SeededRng::seed_from_u64(6));
    let seed = |target, name, bytes| Seed { target, name, bytes };
    vec![
        seed("idx", "u8-raw", idx_input(&images_u8, &labels)),
        seed("idx", "u8-gzip", idx_input(&gzip(&images_u8), &gzip(&labels))),
        seed("idx", "f32-raw-labels-gzip", idx_input(&images_f32, &gzip(&labels))),
        // Label last, with a header.
        seed("csv", "last-header", csv(0b101, 0, ',', csv_text(&data, true, FEATURES, ',', false))),
        // Label first, no header, semicolons.
        seed("csv", "first-semicolon", csv(0b000, 0, ';', csv_text(&few, false, 0, ';', false))),
        // Label at column 10, quoted fields, tabs.
        seed("csv", "index-quoted-tab", csv(0b110, 10, '\t', csv_text(&few, true, 10, '\t', true))),
        // Label by name, a column "extra" ignored by name, a line with a missing value
        // dropped; a byte order mark and CRLF line breaks.
        seed("csv", "named-extra-missing", csv(0x94, 0x80, ',', people_csv(&few))),
        seed("safetensors", "small", safetensors::to_bytes(&checks::small(3), &[])),
        seed(
            "safetensors",
            "small-metadata",
            safetensors::to_bytes(&checks::small(4), &[("format", "pt"), ("by", "ferroflow")]),
        ),
        // A lone layer: other names, so every tensor is missing.
        seed("safetensors", "lone-layer", safetensors::to_bytes(&lone, &[])),
        // f64 values: every tensor of the wrong type.
        seed("safetensors", "lone-layer-f64", safetensors::to_bytes(&wide, &[])),
    ]
}
