//! Saving and loading weights as safetensors, the tensor format PyTorch and numpy users
//! read (`safetensors.numpy.load_file`, `safetensors.torch.load_file`).
//!
//! The format: an 8-byte little-endian header length, a JSON header mapping each tensor's
//! name to its `dtype`, `shape` and `data_offsets` (plus an optional `__metadata__` map of
//! strings), then the tensors' bytes, little-endian and row-major. It is simple enough to
//! write here without the `safetensors` crate; the JSON is read with `serde_json`.
//!
//! Loading checks every name, dtype and shape against the model before it changes a single
//! value, and reports every tensor that differs.
//!
//! ```
//! use ferroflow::io::safetensors;
//! use ferroflow::{Perceptron, Sigmoid};
//! let trained = Perceptron::<f32, 2, 1, Sigmoid>::from_arrays([[0.5, -1.5]], [0.25]);
//! let bytes = safetensors::to_bytes(&trained, &[("epochs", "10")]);
//! let mut loaded = Perceptron::<f32, 2, 1, Sigmoid>::zeros();
//! safetensors::from_bytes(&mut loaded, &bytes)?;
//! assert_eq!(loaded, trained);
//!
//! // A model of another shape is refused, with the reason.
//! let mut wider = Perceptron::<f32, 3, 1, Sigmoid>::zeros();
//! let error = safetensors::from_bytes(&mut wider, &bytes).unwrap_err();
//! assert!(error.to_string().contains("weight: expected shape [1, 3], found [1, 2]"));
//! # Ok::<(), ferroflow::io::WeightsError>(())
//! ```

use super::dtype;
use crate::Element;
use crate::optim::Parameters;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

/// The name used in errors for bytes that came from memory rather than a file.
const MEMORY: &str = "<memory>";

/// Weights that could not be saved or loaded.
#[derive(Debug)]
pub struct WeightsError {
    /// The file (`<memory>` for bytes in memory).
    pub file: PathBuf,
    /// What went wrong.
    pub kind: WeightsErrorKind,
}

/// What went wrong with a weights file.
#[derive(Debug)]
#[non_exhaustive]
pub enum WeightsErrorKind {
    /// Reading or writing failed.
    Io(std::io::Error),
    /// The file is not valid safetensors.
    Malformed {
        /// The byte offset of the problem in the file.
        offset: u64,
        /// What the format requires there.
        expected: String,
        /// What the file holds.
        found: String,
    },
    /// The file is valid, but its tensors do not match the model's: every difference.
    Mismatch(Vec<TensorMismatch>),
    /// The header names a tensor twice.
    DuplicateTensor {
        /// The tensor's name.
        name: String,
    },
    /// A weight is `NaN` or infinite: the mark of a training that diverged. Loading
    /// refuses it (the model is left as it was), and so does saving.
    NonFinite {
        /// The tensor's name.
        tensor: String,
        /// The position in the tensor, row-major.
        index: usize,
        /// The value.
        value: f64,
    },
}

/// One way a file's tensors differ from a model's parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TensorMismatch {
    /// The model has this tensor; the file does not.
    Missing {
        /// The tensor's name.
        name: String,
        /// The shape the model has.
        shape: Vec<usize>,
    },
    /// The file has this tensor; the model does not.
    Unexpected {
        /// The tensor's name.
        name: String,
        /// The shape in the file.
        shape: Vec<usize>,
    },
    /// The tensor is stored in another element type than the model's.
    Dtype {
        /// The tensor's name.
        name: String,
        /// The model's dtype.
        expected: &'static str,
        /// The file's dtype.
        found: String,
    },
    /// The tensor has another shape than the model's.
    Shape {
        /// The tensor's name.
        name: String,
        /// The model's shape.
        expected: Vec<usize>,
        /// The file's shape.
        found: Vec<usize>,
    },
}

impl fmt::Display for TensorMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TensorMismatch::Missing { name, shape } => {
                write!(f, "{name}: missing from the file (the model has shape {shape:?})")
            }
            TensorMismatch::Unexpected { name, shape } => {
                write!(f, "{name}: in the file (shape {shape:?}), but the model has no such tensor")
            }
            TensorMismatch::Dtype { name, expected, found } => {
                write!(f, "{name}: expected dtype {expected}, found {found}")
            }
            TensorMismatch::Shape { name, expected, found } => {
                write!(f, "{name}: expected shape {expected:?}, found {found:?}")
            }
        }
    }
}

impl fmt::Display for WeightsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = self.file.display();
        match &self.kind {
            WeightsErrorKind::Io(error) => write!(f, "{file}: {error}"),
            WeightsErrorKind::Malformed { offset, expected, found } => {
                write!(f, "{file}: byte {offset}: expected {expected}, found {found}")
            }
            WeightsErrorKind::Mismatch(mismatches) => {
                let n = mismatches.len();
                write!(f, "{file}: {n} tensor{} differ{} from the model's", plural(n), verb(n))?;
                for mismatch in mismatches {
                    write!(f, "\n  {mismatch}")?;
                }
                Ok(())
            }
            WeightsErrorKind::DuplicateTensor { name } => write!(
                f,
                "{file}: the header describes tensor {name:?} more than once; a file must name \
                 each tensor once"
            ),
            WeightsErrorKind::NonFinite { tensor, index, value } => write!(
                f,
                "{file}: {tensor}[{index}] is {value}: weights must be finite numbers (a training \
                 that diverged leaves NaN or infinite weights)"
            ),
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn verb(n: usize) -> &'static str {
    if n == 1 { "s" } else { "" }
}

impl std::error::Error for WeightsError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            WeightsErrorKind::Io(error) => Some(error),
            _ => None,
        }
    }
}

/// Writes `params` as a safetensors file. `metadata` goes into the header's
/// `__metadata__` map (omitted when empty). Refuses, writing nothing, weights that are not
/// all finite ([`WeightsErrorKind::NonFinite`]): [`load`] would refuse them.
pub fn save<T: Element, P: Parameters<T>>(
    params: &P,
    path: impl AsRef<Path>,
    metadata: &[(&str, &str)],
) -> Result<(), WeightsError> {
    let path = path.as_ref();
    if let Some(kind) = first_non_finite(params) {
        return Err(WeightsError { file: path.into(), kind });
    }
    std::fs::write(path, to_bytes(params, metadata))
        .map_err(|e| WeightsError { file: path.into(), kind: WeightsErrorKind::Io(e) })
}

/// Loads the weights of a safetensors file into `params`, which is left unchanged unless
/// every tensor of the file matches one of it by name, dtype and shape, and the other way
/// round, each tensor is named once, and every value is finite.
pub fn load<T: Element, P: Parameters<T>>(
    params: &mut P,
    path: impl AsRef<Path>,
) -> Result<(), WeightsError> {
    let path = path.as_ref();
    // The whole file is read: its length bounds the allocation, whatever the header says.
    let bytes = std::fs::read(path)
        .map_err(|e| WeightsError { file: path.into(), kind: WeightsErrorKind::Io(e) })?;
    load_bytes(params, &bytes, path)
}

/// The safetensors encoding of `params`, as [`save`] writes it. Non-finite weights are
/// encoded as they are (for a look at a diverged model in numpy); [`from_bytes`] refuses
/// them.
pub fn to_bytes<T: Element, P: Parameters<T>>(params: &P, metadata: &[(&str, &str)]) -> Vec<u8> {
    let dtype = dtype::<T>();
    let size = core::mem::size_of::<T>();
    let mut header = String::from("{");
    if !metadata.is_empty() {
        header.push_str("\"__metadata__\":{");
        for (i, (key, value)) in metadata.iter().enumerate() {
            let comma = if i == 0 { "" } else { "," };
            header.push_str(&format!("{comma}{}:{}", json_string(key), json_string(value)));
        }
        header.push('}');
    }
    let mut data = Vec::with_capacity(P::PARAM_COUNT * size);
    params.for_each_param(&mut |name, values| {
        let begin = data.len();
        for &value in values {
            match size {
                4 => data.extend_from_slice(&(value.to_f64() as f32).to_le_bytes()),
                _ => data.extend_from_slice(&value.to_f64().to_le_bytes()),
            }
        }
        let comma = if header.len() == 1 { "" } else { "," };
        header.push_str(&format!(
            "{comma}{}:{{\"dtype\":\"{dtype}\",\"shape\":{:?},\"data_offsets\":[{begin},{}]}}",
            json_string(&name.to_string()),
            name.shape,
            data.len()
        ));
    });
    header.push('}');
    // Pad with spaces so the data starts 8-byte aligned, as the reference writer does.
    while header.len() % 8 != 0 {
        header.push(' ');
    }
    let mut bytes = Vec::with_capacity(8 + header.len() + data.len());
    bytes.extend_from_slice(&(header.len() as u64).to_le_bytes());
    bytes.extend_from_slice(header.as_bytes());
    bytes.extend_from_slice(&data);
    bytes
}

/// Loads weights from safetensors bytes held in memory into `params`, as [`load`] does.
pub fn from_bytes<T: Element, P: Parameters<T>>(
    params: &mut P,
    bytes: &[u8],
) -> Result<(), WeightsError> {
    load_bytes(params, bytes, Path::new(MEMORY))
}

fn json_string(s: &str) -> String {
    Value::String(s.to_owned()).to_string()
}

/// One tensor as the header describes it.
struct Entry {
    dtype: String,
    shape: Vec<usize>,
    begin: usize,
    end: usize,
}

fn load_bytes<T: Element, P: Parameters<T>>(
    params: &mut P,
    bytes: &[u8],
    file: &Path,
) -> Result<(), WeightsError> {
    let error = |kind| WeightsError { file: file.into(), kind };
    let (entries, data) = parse(bytes).map_err(error)?;

    // First every check, so that a mismatch leaves the model as it was.
    let expected_dtype = dtype::<T>();
    let mut mismatches = Vec::new();
    let mut known = BTreeSet::new();
    params.for_each_param(&mut |name, _| {
        let key = name.to_string();
        match entries.get(&key) {
            None => mismatches
                .push(TensorMismatch::Missing { name: key.clone(), shape: name.shape.to_vec() }),
            Some(entry) => {
                if entry.dtype != expected_dtype {
                    mismatches.push(TensorMismatch::Dtype {
                        name: key.clone(),
                        expected: expected_dtype,
                        found: entry.dtype.clone(),
                    });
                }
                if entry.shape != name.shape {
                    mismatches.push(TensorMismatch::Shape {
                        name: key.clone(),
                        expected: name.shape.to_vec(),
                        found: entry.shape.clone(),
                    });
                }
            }
        }
        known.insert(key);
    });
    for (name, entry) in &entries {
        if !known.contains(name) {
            mismatches.push(TensorMismatch::Unexpected {
                name: name.clone(),
                shape: entry.shape.clone(),
            });
        }
    }
    if !mismatches.is_empty() {
        return Err(error(WeightsErrorKind::Mismatch(mismatches)));
    }
    // Names and shapes match, so every entry is `T`'s: check the values before any is set.
    for (name, entry) in &entries {
        let stored = values::<T>(&data[entry.begin..entry.end]);
        if let Some((index, value)) = stored.enumerate().find(|(_, v)| !v.is_finite()) {
            return Err(error(WeightsErrorKind::NonFinite { tensor: name.clone(), index, value }));
        }
    }

    params.for_each_param_mut(&mut |name, values_out| {
        let entry = &entries[&name.to_string()];
        for (value, stored) in values_out.iter_mut().zip(values::<T>(&data[entry.begin..entry.end]))
        {
            *value = T::from_f64(stored);
        }
    });
    Ok(())
}

/// The little-endian values of `T`'s dtype in `bytes`, exactly, as `f64`.
fn values<T: Element>(bytes: &[u8]) -> impl Iterator<Item = f64> + '_ {
    bytes.chunks_exact(core::mem::size_of::<T>()).map(|chunk| match *chunk {
        [a, b, c, d] => f64::from(f32::from_le_bytes([a, b, c, d])),
        [a, b, c, d, e, f, g, h] => f64::from_le_bytes([a, b, c, d, e, f, g, h]),
        _ => unreachable!("elements are 4 or 8 bytes"),
    })
}

/// The first weight of `params` that is not finite, as the error that names it.
fn first_non_finite<T: Element, P: Parameters<T>>(params: &P) -> Option<WeightsErrorKind> {
    let mut found = None;
    params.for_each_param(&mut |name, values| {
        if found.is_none()
            && let Some(index) = values.iter().position(|v| !v.is_finite())
        {
            let (tensor, value) = (name.to_string(), values[index].to_f64());
            found = Some(WeightsErrorKind::NonFinite { tensor, index, value });
        }
    });
    found
}

/// The size in bytes of one element of a safetensors dtype, for the dtypes the format
/// defines.
fn dtype_size(dtype: &str) -> Option<usize> {
    match dtype {
        "BOOL" | "U8" | "I8" | "F8_E5M2" | "F8_E4M3" => Some(1),
        "I16" | "U16" | "F16" | "BF16" => Some(2),
        "I32" | "U32" | "F32" => Some(4),
        "I64" | "U64" | "F64" => Some(8),
        _ => None,
    }
}

fn malformed(
    offset: usize,
    expected: impl Into<String>,
    found: impl Into<String>,
) -> WeightsErrorKind {
    WeightsErrorKind::Malformed {
        offset: offset as u64,
        expected: expected.into(),
        found: found.into(),
    }
}

/// The header's tensors and the data they index, after checking the file's structure.
fn parse(bytes: &[u8]) -> Result<(BTreeMap<String, Entry>, &[u8]), WeightsErrorKind> {
    let Some((length, rest)) = bytes.split_first_chunk::<8>() else {
        return Err(malformed(
            0,
            "an 8-byte header length",
            format!("a file of {} bytes", bytes.len()),
        ));
    };
    let header_len = u64::from_le_bytes(*length);
    if header_len > rest.len() as u64 {
        return Err(malformed(
            0,
            format!("a header length of at most {} (the bytes that follow)", rest.len()),
            header_len.to_string(),
        ));
    }
    let (header_bytes, data) = rest.split_at(header_len as usize);
    let header: Value = serde_json::from_slice(header_bytes)
        .map_err(|e| malformed(8, "a JSON header", format!("{e}")))?;
    let Value::Object(header) = header else {
        return Err(malformed(8, "a JSON object as the header", short(&header)));
    };
    // A JSON map keeps the last of two equal keys: read the names again, in order.
    if let Some(name) = duplicate_key(header_bytes) {
        return Err(WeightsErrorKind::DuplicateTensor { name });
    }
    let mut entries = BTreeMap::new();
    for (name, value) in header {
        if name == "__metadata__" {
            let strings = value.as_object().is_some_and(|m| m.values().all(Value::is_string));
            if !strings {
                return Err(malformed(8, "__metadata__ as a map of strings", short(&value)));
            }
            continue;
        }
        let entry = parse_entry(&value).ok_or_else(|| {
            malformed(
                8,
                format!("tensor {name:?} described by \"dtype\", \"shape\" and \"data_offsets\""),
                short(&value),
            )
        })?;
        if entry.begin > entry.end || entry.end > data.len() {
            return Err(malformed(
                8,
                format!("data_offsets of tensor {name:?} within the {} bytes of data", data.len()),
                format!("[{}, {}]", entry.begin, entry.end),
            ));
        }
        let count = entry.shape.iter().try_fold(1usize, |n, &d| n.checked_mul(d));
        let needed = dtype_size(&entry.dtype).and_then(|size| count?.checked_mul(size));
        if let Some(needed) = needed.filter(|&needed| needed != entry.end - entry.begin) {
            return Err(malformed(
                8,
                format!(
                    "{needed} bytes for tensor {name:?} of dtype {} and shape {:?}",
                    entry.dtype, entry.shape
                ),
                format!(
                    "{} (data_offsets [{}, {}])",
                    entry.end - entry.begin,
                    entry.begin,
                    entry.end
                ),
            ));
        }
        entries.insert(name, entry);
    }
    // The format requires the tensors to tile the data exactly: no gaps, no overlaps.
    let mut ranges: Vec<(usize, usize, &str)> =
        entries.iter().map(|(name, e)| (e.begin, e.end, name.as_str())).collect();
    ranges.sort_unstable();
    let mut covered = 0;
    for (begin, end, name) in ranges {
        if begin != covered {
            return Err(malformed(
                8 + header_len as usize + covered,
                format!("tensor data from byte {covered} of the data on"),
                format!("tensor {name:?} starting at byte {begin}"),
            ));
        }
        covered = end;
    }
    if covered != data.len() {
        return Err(malformed(
            8 + header_len as usize + covered,
            format!("the end of the file after {covered} bytes of tensor data"),
            format!("{} more bytes", data.len() - covered),
        ));
    }
    Ok((entries, data))
}

fn parse_entry(value: &Value) -> Option<Entry> {
    let dtype = value.get("dtype")?.as_str()?.to_owned();
    let shape = value
        .get("shape")?
        .as_array()?
        .iter()
        .map(|d| d.as_u64().and_then(|d| usize::try_from(d).ok()))
        .collect::<Option<Vec<_>>>()?;
    let offsets = value.get("data_offsets")?.as_array()?;
    let [begin, end] = offsets.as_slice() else { return None };
    let offset = |v: &Value| v.as_u64().and_then(|v| usize::try_from(v).ok());
    Some(Entry { dtype, shape, begin: offset(begin)?, end: offset(end)? })
}

/// A JSON value for a message, cut short if long.
fn short(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(80) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

/// The first top-level key of a JSON object (already parsed once, so valid) that occurs
/// twice.
fn duplicate_key(object: &[u8]) -> Option<String> {
    /// The object's keys in order, the values skipped.
    struct Keys(Vec<String>);

    impl<'de> serde::Deserialize<'de> for Keys {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct Visitor;
            impl<'de> serde::de::Visitor<'de> for Visitor {
                type Value = Keys;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a JSON object")
                }
                fn visit_map<A: serde::de::MapAccess<'de>>(
                    self,
                    mut map: A,
                ) -> Result<Keys, A::Error> {
                    let mut keys = Vec::new();
                    while let Some(key) = map.next_key::<String>()? {
                        map.next_value::<serde::de::IgnoredAny>()?;
                        keys.push(key);
                    }
                    Ok(Keys(keys))
                }
            }
            deserializer.deserialize_map(Visitor)
        }
    }

    let Keys(keys) = serde_json::from_slice(object).ok()?;
    let mut seen = BTreeSet::new();
    keys.into_iter().find(|key| !seen.insert(key.clone()))
}
