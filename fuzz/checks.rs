//! What the fuzz targets check, in one place: the fuzz crate's targets call these on
//! libFuzzer's inputs, and `tests/fuzz_regressions.rs` calls them on the seeds and on every
//! saved crash, so an input that once broke a check stays a test. A check panics when
//! the code under test misbehaves; an input that the code rejects with an error is fine.

use ferroflow::data::{Column, CsvOptions, Dataset, Idx, LabelColumn, Missing, RegressionSet};
use ferroflow::io::safetensors;
use ferroflow::prelude::*;

/// Features per sample of the datasets the loaders are asked for: the built-in digits'
/// 8 × 8 pixels, so that the seeds (written from those digits) load.
pub const FEATURES: usize = 64;
/// Classes of those datasets.
pub const CLASSES: usize = 10;

/// The dataset type the loaders build.
pub type Digits = Dataset<f32, FEATURES, CLASSES>;

/// What every dataset a loader returns must satisfy: one label per sample, each a class.
fn sane(data: &Digits) {
    assert!(!data.is_empty(), "a loader returned an empty dataset");
    assert_eq!(data.features().len(), data.labels().len(), "samples and labels differ in count");
    assert_eq!(data.len(), data.labels().len());
    if let Some(&label) = data.labels().iter().find(|&&label| label >= CLASSES) {
        panic!("label {label} is not one of the {CLASSES} classes");
    }
    if let Some(names) = data.class_names() {
        assert!(names.len() <= CLASSES, "{} class names for {CLASSES} classes", names.len());
        if let Some(&label) = data.labels().iter().find(|&&label| label >= names.len()) {
            panic!("label {label} has no name among {names:?}");
        }
    }
    // Values read or filled in are finite.
    assert!(data.features().iter().flatten().all(|v| v.is_finite()), "a feature is not finite");
}

/// Cuts an input in two: its first two bytes (little-endian) are the length of the first
/// part, clamped to what follows them.
pub fn split_input(data: &[u8]) -> (&[u8], &[u8]) {
    let Some((head, rest)) = data.split_first_chunk::<2>() else { return (data, &[]) };
    let at = usize::from(u16::from_le_bytes(*head)).min(rest.len());
    rest.split_at(at)
}

/// The IDX reader on both parts of `data` ([`split_input`]): no panic; a parsed file's
/// dimensions account for its values; a dataset read from the pair (images, labels) is
/// sane.
pub fn idx(data: &[u8]) {
    let (images, labels) = split_input(data);
    for (name, bytes) in [("images", images), ("labels", labels)] {
        if let Ok(idx) = Idx::from_bytes(name, bytes) {
            // The product of the dimensions (0 if one is 0, even where the others
            // overflow) is the number of values.
            let count = match idx.dims.contains(&0) {
                true => Some(0),
                false => idx.dims.iter().try_fold(1usize, |n, &d| n.checked_mul(d)),
            };
            assert_eq!(count, Some(idx.data.len()), "{name}: dims {:?}", idx.dims);
            assert!(!idx.dims.is_empty(), "{name}: no dimensions");
        }
    }
    if let Ok(dataset) = Digits::from_idx_bytes(("images", images), ("labels", labels)) {
        sane(&dataset);
    }
}

/// The CSV options drawn from the first three bytes of an input, and the rest, the text.
/// Byte 0: bits 0–1 the label column (first, last, `Index(byte 1 % 66)`, `Index(byte 1)`),
/// bit 2 whether there is a header, bit 3 a line limit of `byte 1` bytes (else the
/// default), bits 4–5 what to do with missing values (reject, drop, fill with the mean, or
/// fill with the mean taking "0" for missing), bit 6 a class list given ("9" down to "0"),
/// bit 7 the label by name, `"digit"`, and then, if byte 1's top bit is set, the column
/// named `"extra"` ignored; byte 2: the delimiter.
pub fn csv_input(data: &[u8]) -> (CsvOptions, &[u8]) {
    let (head, text) = data.split_first_chunk::<3>().map_or(([0; 3], data), |(h, t)| (*h, t));
    let [flags, index, delimiter] = head;
    let mut label = match flags & 3 {
        0 => LabelColumn::First,
        1 => LabelColumn::Last,
        2 => LabelColumn::Index(usize::from(index) % (FEATURES + 2)),
        _ => LabelColumn::Index(usize::from(index)),
    };
    let mut ignore = Vec::new();
    if flags & 0x80 != 0 {
        label = LabelColumn::Name("digit".into());
        if index & 0x80 != 0 {
            ignore.push(Column::Name("extra".into()));
        }
    }
    let max_line_bytes = (flags & 8 != 0).then_some(usize::from(index));
    let defaults = CsvOptions::default();
    let (missing, missing_values) = match (flags >> 4) & 3 {
        0 => (Missing::Reject, defaults.missing_values),
        1 => (Missing::Drop, defaults.missing_values),
        2 => (Missing::FillMean, defaults.missing_values),
        _ => (Missing::FillMean, vec!["0".to_owned()]),
    };
    let classes = (flags & 0x40 != 0).then(|| (0..CLASSES).rev().map(|k| k.to_string()).collect());
    let options = CsvOptions {
        label,
        header: flags & 4 != 0,
        delimiter,
        max_line_bytes,
        ignore,
        classes,
        // Regression targets are not drawn: the seeds were written for a label, and a
        // classification data set refuses a target list.
        targets: Vec::new(),
        missing,
        missing_values,
    };
    (options, text)
}

/// The CSV reader with options from the input's first bytes ([`csv_input`]): no panic,
/// and a sane dataset when it reads one. The same text and options (the label column as
/// the one target) go to the regression reader too: no panic, and when it reads a set,
/// one target per sample and every value finite.
pub fn csv(data: &[u8]) {
    let (options, text) = csv_input(data);
    if let Ok(dataset) = Digits::from_csv_reader("fuzz.csv", text, options.clone()) {
        sane(&dataset);
    }
    if let Ok(set) = RegressionSet::<f32, FEATURES, 1>::from_csv_reader("fuzz.csv", text, options) {
        assert!(!set.is_empty(), "the regression reader returned an empty set");
        assert_eq!(set.features().len(), set.targets().len(), "samples and targets differ");
        let mut values = set.features().iter().flatten().chain(set.targets().iter().flatten());
        assert!(values.all(|v| v.is_finite()), "a regression value is not finite");
    }
}

network! {
    /// The model the safetensors input is loaded into: 3 → 4 (ReLU) → 2 (softmax).
    pub struct Small<f32> {
        input: 3,
        hidden: Perceptron<4, Relu>,
        output: Perceptron<2, Softmax>,
    }
}

/// Every parameter of `net` as bits, in the order of `for_each_param` (NaN-safe, and -0
/// differs from 0).
pub fn bits(net: &Small) -> Vec<u32> {
    let mut bits = Vec::new();
    net.for_each_param(&mut |_, values| bits.extend(values.iter().map(|v| v.to_bits())));
    bits
}

/// A model with fixed, distinct weights.
pub fn small(seed: u64) -> Small {
    Small::random(&mut SeededRng::seed_from_u64(seed))
}

/// `safetensors::from_bytes` into a [`Small`]: a load that fails leaves the model bit for
/// bit as it was; one that succeeds gives a model whose `to_bytes` loads back into
/// another model as the same bits and writes the same bytes again.
pub fn safetensors(data: &[u8]) {
    let mut net = small(1);
    let before = bits(&net);
    if safetensors::from_bytes(&mut net, data).is_err() {
        assert_eq!(bits(&net), before, "a failed load changed the model");
        return;
    }
    let written = safetensors::to_bytes(&net, &[]);
    let mut other = small(2);
    safetensors::from_bytes(&mut other, &written).expect("the model's own bytes load");
    assert_eq!(bits(&other), bits(&net), "a round trip changed the weights");
    assert_eq!(safetensors::to_bytes(&other, &[]), written, "a round trip changed the bytes");
}

/// A fuzz target's check.
pub type Check = fn(&[u8]);

/// The check of each fuzz target, by the target's name.
pub const TARGETS: [(&str, Check); 3] = [("idx", idx), ("csv", csv), ("safetensors", safetensors)];
