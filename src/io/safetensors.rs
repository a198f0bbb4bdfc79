//! Saving and loading weights as safetensors, the tensor format PyTorch and numpy users
//! read (`safetensors.numpy.load_file`, `safetensors.torch.load_file`).
//!
//! The format: an 8-byte little-endian header length, a JSON header mapping each tensor's
//! name to its `dtype`, `shape` and `data_offsets` (plus an optional `__metadata__` map of
//! strings), then the tensors' bytes, little-endian and row-major. The [`safetensors`
//! crate](https://crates.io/crates/safetensors), the format's reference implementation,
//! writes and reads it; this module adds what a model needs around it:
//!
//! - loading checks every name, dtype and shape against the model before it changes a
//!   single value, and reports every tensor that differs ([`TensorMismatch`]);
//! - a header that names a tensor twice is refused (a JSON map would keep the last);
//! - weights that are `NaN` or infinite are refused when loading and when saving;
//! - the bytes are the same on every run: tensors and metadata keys in name order.
//!
//! ```
//! use ferroflow::io::safetensors;
//! use ferroflow::{Perceptron, Sigmoid};
//! let trained = Perceptron::<f32, 2, 1, Sigmoid>::from_arrays([[0.5, -1.5]], [0.25]);
//! let bytes = safetensors::to_bytes(&trained, &[("epochs", "10")]);
//! let mut loaded = Perceptron::<f32, 2, 1, Sigmoid>::zeros();
//! safetensors::from_bytes(&mut loaded, &bytes)?;
//! assert_eq!(loaded, trained);
//! assert_eq!(safetensors::metadata_from_bytes(&bytes)?["epochs"], "10");
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
use ::safetensors::tensor::{Dtype, Metadata, SafeTensorError, SafeTensors, TensorInfo, View};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

/// The name used in errors for bytes that came from memory rather than a file.
const MEMORY: &str = "<memory>";

/// The size of the header length that starts every file.
const LENGTH_BYTES: usize = 8;

/// Weights that could not be saved or loaded: the file, and what went wrong.
#[derive(Debug, thiserror::Error)]
#[error("{}: {kind}", file.display())]
pub struct WeightsError {
    /// The file (`<memory>` for bytes in memory).
    pub file: PathBuf,
    /// What went wrong.
    #[source]
    pub kind: WeightsErrorKind,
}

/// What went wrong with a weights file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WeightsErrorKind {
    /// Reading or writing failed.
    #[error(transparent)]
    Io(std::io::Error),
    /// The file is not valid safetensors, as the `safetensors` crate reads it.
    #[error("byte {offset}: {reason}")]
    Malformed {
        /// The byte offset in the file of the problem, or of the part that holds it (8, the
        /// header, for a tensor's description).
        offset: u64,
        /// What is wrong there: the `safetensors` crate's words, and what the format
        /// requires.
        reason: String,
    },
    /// The file is valid, but its tensors do not match the model's: every difference.
    #[error("{}", MismatchList(.0))]
    Mismatch(Vec<TensorMismatch>),
    /// The header names a tensor twice.
    #[error(
        "the header describes tensor {name:?} more than once; a file must name each tensor once"
    )]
    DuplicateTensor {
        /// The tensor's name.
        name: String,
    },
    /// A weight is `NaN` or infinite: the mark of a training that diverged. Loading
    /// refuses it (the model is left as it was), and so does saving.
    #[error(
        "{tensor}[{index}] is {value}: weights must be finite numbers (a training that \
         diverged leaves NaN or infinite weights)"
    )]
    NonFinite {
        /// The tensor's name.
        tensor: String,
        /// The position in the tensor, row-major.
        index: usize,
        /// The value.
        value: f64,
    },
    /// An entry of the file's `__metadata__` that the model needs is missing or unreadable
    /// (a [`Classifier`](super::Classifier)'s class names).
    #[error("metadata {key:?}: {reason}")]
    Metadata {
        /// The metadata key.
        key: String,
        /// What was expected and what the file holds.
        reason: String,
    },
}

/// One way a file's tensors differ from a model's parameters.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TensorMismatch {
    /// The model has this tensor; the file does not.
    #[error("{name}: missing from the file (the model has shape {shape:?})")]
    Missing {
        /// The tensor's name.
        name: String,
        /// The shape the model has.
        shape: Vec<usize>,
    },
    /// The file has this tensor; the model does not.
    #[error("{name}: in the file (shape {shape:?}), but the model has no such tensor")]
    Unexpected {
        /// The tensor's name.
        name: String,
        /// The shape in the file.
        shape: Vec<usize>,
    },
    /// The tensor is stored in another element type than the model's.
    #[error("{name}: expected dtype {expected}, found {found}")]
    Dtype {
        /// The tensor's name.
        name: String,
        /// The model's dtype.
        expected: &'static str,
        /// The file's dtype.
        found: String,
    },
    /// The tensor has another shape than the model's.
    #[error("{name}: expected shape {expected:?}, found {found:?}")]
    Shape {
        /// The tensor's name.
        name: String,
        /// The model's shape.
        expected: Vec<usize>,
        /// The file's shape.
        found: Vec<usize>,
    },
}

/// The mismatches of a file as one message: how many, then one per line.
struct MismatchList<'a>(&'a [TensorMismatch]);

impl fmt::Display for MismatchList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        let (plural, verb) = if n == 1 { ("", "s") } else { ("s", "") };
        write!(f, "{n} tensor{plural} differ{verb} from the model's")?;
        for mismatch in self.0 {
            write!(f, "\n  {mismatch}")?;
        }
        Ok(())
    }
}

/// Writes `params` as a safetensors file, creating its folder if it is missing.
/// `metadata` goes into the header's `__metadata__` map (omitted when empty; a key given
/// twice keeps its last value). Refuses, writing nothing, weights that are not all finite
/// ([`WeightsErrorKind::NonFinite`]): [`load`] would refuse them.
///
/// # Errors
/// [`WeightsErrorKind::NonFinite`], naming the first weight that is NaN or infinite, before
/// anything is written; [`WeightsErrorKind::Io`] if the folder cannot be created or the
/// file written.
///
/// # Panics
/// As [`to_bytes`]: only for a header past the 100 MB the `safetensors` crate writes.
pub fn save<T: Element, P: Parameters<T>>(
    params: &P,
    path: impl AsRef<Path>,
    metadata: &[(&str, &str)],
) -> Result<(), WeightsError> {
    let path = path.as_ref();
    let error = |kind| WeightsError { file: path.into(), kind };
    if let Some(kind) = first_non_finite(params) {
        return Err(error(kind));
    }
    if let Some(folder) = path.parent().filter(|folder| !folder.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder).map_err(|e| error(WeightsErrorKind::Io(e)))?;
    }
    std::fs::write(path, to_bytes(params, metadata)).map_err(|e| error(WeightsErrorKind::Io(e)))
}

/// Loads the weights of a safetensors file into `params`, which is left unchanged unless
/// every tensor of the file matches one of it by name, dtype and shape, and the other way
/// round, each tensor is named once, and every value is finite. Returns the file's
/// `__metadata__` map (empty if it has none).
///
/// # Errors
/// In each case `params` is left as it was:
/// - [`WeightsErrorKind::Io`] if the file cannot be read.
/// - [`WeightsErrorKind::Malformed`] if it is not valid safetensors, with the byte and the
///   reason, and [`WeightsErrorKind::DuplicateTensor`] if its header names a tensor twice.
/// - [`WeightsErrorKind::Mismatch`], listing every difference, if its tensors do not match
///   `params`' by name, dtype and shape.
/// - [`WeightsErrorKind::NonFinite`] for the first value that is NaN or infinite.
pub fn load<T: Element, P: Parameters<T>>(
    params: &mut P,
    path: impl AsRef<Path>,
) -> Result<BTreeMap<String, String>, WeightsError> {
    let path = path.as_ref();
    let bytes = read(path)?;
    load_bytes(params, &bytes, path)
}

/// The `__metadata__` map of a safetensors file (empty if it has none), after checking
/// that the file is well formed: what a model was saved with (`save`'s `metadata`), read
/// without a model.
///
/// # Errors
/// [`WeightsErrorKind::Io`] if the file cannot be read, [`WeightsErrorKind::Malformed`] if
/// it is not valid safetensors, and [`WeightsErrorKind::DuplicateTensor`] if its header
/// names a tensor twice.
pub fn metadata(path: impl AsRef<Path>) -> Result<BTreeMap<String, String>, WeightsError> {
    let path = path.as_ref();
    let bytes = read(path)?;
    parse(&bytes)
        .map(|(header, _)| metadata_map(&header))
        .map_err(|kind| WeightsError { file: path.into(), kind })
}

/// The `__metadata__` map of safetensors bytes held in memory, as [`metadata`] reads it.
///
/// # Errors
/// As [`metadata`], but for the bytes: [`WeightsErrorKind::Malformed`] or
/// [`WeightsErrorKind::DuplicateTensor`].
pub fn metadata_from_bytes(bytes: &[u8]) -> Result<BTreeMap<String, String>, WeightsError> {
    parse(bytes)
        .map(|(header, _)| metadata_map(&header))
        .map_err(|kind| WeightsError { file: MEMORY.into(), kind })
}

/// The whole file: its length bounds every allocation, whatever the header says.
fn read(path: &Path) -> Result<Vec<u8>, WeightsError> {
    std::fs::read(path)
        .map_err(|e| WeightsError { file: path.into(), kind: WeightsErrorKind::Io(e) })
}

/// One tensor of a model, encoded, as the `safetensors` crate takes it.
struct Encoded {
    dtype: Dtype,
    shape: Vec<usize>,
    data: Vec<u8>,
}

impl View for &Encoded {
    fn dtype(&self) -> Dtype {
        self.dtype
    }
    fn shape(&self) -> &[usize] {
        &self.shape
    }
    fn data(&self) -> Cow<'_, [u8]> {
        Cow::Borrowed(&self.data)
    }
    fn data_len(&self) -> usize {
        self.data.len()
    }
}

/// The safetensors encoding of `params`, as [`save`] writes it: the `safetensors` crate's
/// layout (tensors in name order, the header padded with spaces to a multiple of 8 bytes),
/// with the metadata keys in name order too. Non-finite weights are encoded as they are
/// (for a look at a diverged model in numpy); [`from_bytes`] refuses them.
///
/// # Panics
/// If the header would pass the 100 MB the `safetensors` crate writes, which takes about a
/// million tensors.
pub fn to_bytes<T: Element, P: Parameters<T>>(params: &P, metadata: &[(&str, &str)]) -> Vec<u8> {
    let dtype = if dtype::<T>() == "F32" { Dtype::F32 } else { Dtype::F64 };
    let mut tensors = Vec::new();
    params.for_each_param(&mut |name, values| {
        let mut data = Vec::with_capacity(std::mem::size_of_val(values));
        for &value in values {
            match dtype {
                Dtype::F32 => data.extend_from_slice(&(value.to_f64() as f32).to_le_bytes()),
                _ => data.extend_from_slice(&value.to_f64().to_le_bytes()),
            }
        }
        tensors.push((name.to_string(), Encoded { dtype, shape: name.shape.to_vec(), data }));
    });
    let bytes = ::safetensors::serialize(tensors.iter().map(|(name, t)| (name.as_str(), t)), None)
        .expect("a header under the safetensors crate's 100 MB");
    if metadata.is_empty() { bytes } else { with_metadata(bytes, metadata) }
}

/// `bytes`, as the `safetensors` crate wrote them without metadata, with `metadata` first
/// in the header. The crate would write it too, but from a `HashMap` whose order changes
/// from run to run: here the keys are in name order, so a model saves to the same bytes
/// every time.
fn with_metadata(bytes: Vec<u8>, metadata: &[(&str, &str)]) -> Vec<u8> {
    let map: BTreeMap<&str, &str> = metadata.iter().copied().collect();
    let map = serde_json::to_string(&map).expect("strings serialise");
    let (length, rest) = bytes.split_first_chunk::<LENGTH_BYTES>().expect("the crate's bytes");
    let (header, data) = rest.split_at(u64::from_le_bytes(*length) as usize);
    // The crate writes a JSON object, `{}` or `{"name":…}`, then the padding.
    let tensors = std::str::from_utf8(header).expect("a UTF-8 header").trim_end();
    let tensors = tensors.strip_prefix('{').expect("a JSON object");
    let comma = if tensors == "}" { "" } else { "," };
    let mut header = format!("{{\"__metadata__\":{map}{comma}{tensors}");
    // Pad with spaces so the data starts 8-byte aligned, as the crate does.
    while header.len() % LENGTH_BYTES != 0 {
        header.push(' ');
    }
    let mut out = Vec::with_capacity(LENGTH_BYTES + header.len() + data.len());
    out.extend_from_slice(&(header.len() as u64).to_le_bytes());
    out.extend_from_slice(header.as_bytes());
    out.extend_from_slice(data);
    out
}

/// Loads weights from safetensors bytes held in memory into `params`, as [`load`] does.
///
/// # Errors
/// As [`load`], but for the bytes: every error except [`WeightsErrorKind::Io`].
pub fn from_bytes<T: Element, P: Parameters<T>>(
    params: &mut P,
    bytes: &[u8],
) -> Result<BTreeMap<String, String>, WeightsError> {
    load_bytes(params, bytes, Path::new(MEMORY))
}

/// A model made from a safetensors file: `MyNet::load("model.safetensors")?`.
///
/// Implemented for every model that implements [`Default`] (a `network!` network, whose
/// default is its `zeros()`): the model is made, then loaded with [`load`], so it checks
/// and refuses what [`load`] does.
///
/// ```
/// use ferroflow::prelude::*;
/// use ferroflow::io::safetensors;
///
/// network! {
///     struct Net<f32> { input: 2, hidden: Perceptron<3, Tanh>, output: Perceptron<2, Softmax> }
/// }
///
/// let trained = Net::random(&mut SeededRng::seed_from_u64(1));
/// let bytes = safetensors::to_bytes(&trained, &[("classes", "red,blue")]);
/// let (net, metadata) = Net::from_safetensors_bytes(&bytes)?;
/// assert_eq!(net, trained);
/// assert_eq!(metadata["classes"], "red,blue");
/// # Ok::<(), ferroflow::io::WeightsError>(())
/// ```
pub trait LoadWeights<T: Element>: Parameters<T> + Sized {
    /// The model whose weights `path` holds.
    ///
    /// # Errors
    /// As [`safetensors::load`](fn@load).
    fn load(path: impl AsRef<Path>) -> Result<Self, WeightsError> {
        Self::load_with_metadata(path).map(|(model, _)| model)
    }

    /// The model whose weights `path` holds, and the file's `__metadata__` map.
    ///
    /// # Errors
    /// As [`safetensors::load`](fn@load).
    fn load_with_metadata(
        path: impl AsRef<Path>,
    ) -> Result<(Self, BTreeMap<String, String>), WeightsError>;

    /// The model whose weights `bytes` hold, and their `__metadata__` map.
    ///
    /// # Errors
    /// As [`safetensors::from_bytes`](from_bytes).
    fn from_safetensors_bytes(
        bytes: &[u8],
    ) -> Result<(Self, BTreeMap<String, String>), WeightsError>;
}

impl<T: Element, P: Parameters<T> + Default> LoadWeights<T> for P {
    fn load_with_metadata(
        path: impl AsRef<Path>,
    ) -> Result<(Self, BTreeMap<String, String>), WeightsError> {
        let mut model = P::default();
        let metadata = load(&mut model, path)?;
        Ok((model, metadata))
    }

    fn from_safetensors_bytes(
        bytes: &[u8],
    ) -> Result<(Self, BTreeMap<String, String>), WeightsError> {
        let mut model = P::default();
        let metadata = from_bytes(&mut model, bytes)?;
        Ok((model, metadata))
    }
}

fn load_bytes<T: Element, P: Parameters<T>>(
    params: &mut P,
    bytes: &[u8],
    file: &Path,
) -> Result<BTreeMap<String, String>, WeightsError> {
    let error = |kind| WeightsError { file: file.into(), kind };
    let (header, data) = parse(bytes).map_err(error)?;

    // First every check, so that a mismatch leaves the model as it was.
    let expected_dtype = dtype::<T>();
    let mut mismatches = Vec::new();
    let mut known = BTreeSet::new();
    params.for_each_param(&mut |name, _| {
        let key = name.to_string();
        match header.info(&key) {
            None => mismatches
                .push(TensorMismatch::Missing { name: key.clone(), shape: name.shape.to_vec() }),
            Some(info) => {
                let found = info.dtype.to_string();
                if found != expected_dtype {
                    mismatches.push(TensorMismatch::Dtype {
                        name: key.clone(),
                        expected: expected_dtype,
                        found,
                    });
                }
                if info.shape != name.shape {
                    mismatches.push(TensorMismatch::Shape {
                        name: key.clone(),
                        expected: name.shape.to_vec(),
                        found: info.shape.clone(),
                    });
                }
            }
        }
        known.insert(key);
    });
    // In name order: the crate keeps its tensors in a `HashMap`.
    let in_file: BTreeMap<String, _> = header.tensors().into_iter().collect();
    for (name, info) in &in_file {
        if !known.contains(name) {
            mismatches
                .push(TensorMismatch::Unexpected { name: name.clone(), shape: info.shape.clone() });
        }
    }
    if !mismatches.is_empty() {
        return Err(error(WeightsErrorKind::Mismatch(mismatches)));
    }
    // Names and shapes match, so every tensor is `T`'s: check the values before any is set.
    for (name, info) in &in_file {
        let (begin, end) = info.data_offsets;
        if let Some((index, value)) =
            values::<T>(&data[begin..end]).enumerate().find(|(_, v)| !v.is_finite())
        {
            return Err(error(WeightsErrorKind::NonFinite { tensor: name.clone(), index, value }));
        }
    }

    params.for_each_param_mut(&mut |name, values_out| {
        let (begin, end) = in_file[&name.to_string()].data_offsets;
        for (value, stored) in values_out.iter_mut().zip(values::<T>(&data[begin..end])) {
            *value = T::from_f64(stored);
        }
    });
    Ok(metadata_map(&header))
}

/// The header's `__metadata__`, in name order.
fn metadata_map(header: &Metadata) -> BTreeMap<String, String> {
    let pairs = header.metadata().iter().flatten();
    pairs.map(|(key, value)| (key.clone(), value.clone())).collect()
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

/// The header, as the `safetensors` crate reads it, and the tensors' data it indexes.
fn parse(bytes: &[u8]) -> Result<(Metadata, &[u8]), WeightsErrorKind> {
    // The crate's JSON map keeps the last of two equal names: look for one first. The
    // header is read only if the file holds it, so its length bounds the work.
    if let Some((length, rest)) = bytes.split_first_chunk::<LENGTH_BYTES>()
        && let Some(header) =
            usize::try_from(u64::from_le_bytes(*length)).ok().and_then(|n| rest.get(..n))
        && let Some(name) = duplicate_key(header)
    {
        return Err(WeightsErrorKind::DuplicateTensor { name });
    }
    let (length, header) = SafeTensors::read_metadata(bytes).map_err(|e| malformed(&e, bytes))?;
    Ok((header, &bytes[LENGTH_BYTES + length..]))
}

/// The crate's error as [`WeightsErrorKind::Malformed`]: its words, where in the file, and
/// what the format requires there.
fn malformed(error: &SafeTensorError, bytes: &[u8]) -> WeightsErrorKind {
    let stated = bytes.first_chunk::<LENGTH_BYTES>().map_or(0, |n| u64::from_le_bytes(*n));
    let after_length = bytes.len().saturating_sub(LENGTH_BYTES);
    let header = LENGTH_BYTES as u64;
    let (offset, requirement) = match error {
        SafeTensorError::HeaderTooSmall => {
            (0, format!("expected an 8-byte header length, found a file of {} bytes", bytes.len()))
        }
        SafeTensorError::HeaderTooLarge | SafeTensorError::InvalidHeaderLength
            if stated > after_length as u64 =>
        {
            (
                0,
                format!(
                    "the header length is {stated} bytes, but the file holds {after_length} \
                     after it"
                ),
            )
        }
        SafeTensorError::HeaderTooLarge => (
            0,
            format!(
                "the header length is {stated} bytes; the safetensors crate reads at most 100 MB"
            ),
        ),
        SafeTensorError::InvalidHeader(utf8) => {
            (header + utf8.valid_up_to() as u64, "the header must be UTF-8 text".into())
        }
        SafeTensorError::InvalidHeaderDeserialization(json) => (
            header + json_offset(json, &bytes[LENGTH_BYTES..]),
            "the header must be a JSON object of tensors, each with \"dtype\", \"shape\" and \
             \"data_offsets\", and an optional \"__metadata__\" map of strings"
                .into(),
        ),
        SafeTensorError::InvalidOffset(_) => (
            header,
            "in the order of their data_offsets, each tensor's data must start where the one \
             before ends (the first at 0)"
                .into(),
        ),
        SafeTensorError::TensorInvalidInfo => (
            header,
            (bytes.get(LENGTH_BYTES..).and_then(|rest| rest.get(..stated as usize)))
                .and_then(wrong_size)
                .unwrap_or_else(|| {
                    "each tensor's data_offsets must span as many bytes as its shape and dtype take"
                        .into()
                }),
        ),
        SafeTensorError::MetadataIncompleteBuffer => (
            header + stated,
            format!(
                "the tensors' data_offsets must end where the file does, after the {} bytes \
                 that follow the header",
                after_length.saturating_sub(stated as usize)
            ),
        ),
        _ => (header, String::new()),
    };
    let reason = match requirement.is_empty() {
        true => error.to_string(),
        false => format!("{error}: {requirement}"),
    };
    WeightsErrorKind::Malformed { offset, reason }
}

/// For a header the crate found a tensor's size wrong in: which tensor, and both sizes.
/// (The crate's error does not name it.) Only runs on that error, on a header the crate
/// has parsed.
fn wrong_size(header: &[u8]) -> Option<String> {
    let entries: BTreeMap<String, serde_json::Value> = serde_json::from_slice(header).ok()?;
    entries.into_iter().filter(|(name, _)| name != "__metadata__").find_map(|(name, entry)| {
        let info: TensorInfo = serde_json::from_value(entry).ok()?;
        let (begin, end) = info.data_offsets;
        let elements = info.shape.iter().try_fold(1usize, |n, &d| n.checked_mul(d))?;
        let size = elements.checked_mul(info.dtype.bitsize())? / 8;
        let span = end.checked_sub(begin);
        (span != Some(size)).then(|| {
            format!(
                "tensor {name:?} of dtype {} and shape {:?} takes {size} bytes, but its \
                 data_offsets [{begin}, {end}] span {}",
                info.dtype,
                info.shape,
                span.map_or_else(|| "less than nothing".into(), |n| n.to_string())
            )
        })
    })
}

/// The offset in `text` of the line and column a JSON error names.
fn json_offset(error: &serde_json::Error, text: &[u8]) -> u64 {
    let line_start: usize = text
        .split_inclusive(|&b| b == b'\n')
        .take(error.line().saturating_sub(1))
        .map(<[u8]>::len)
        .sum();
    (line_start + error.column().saturating_sub(1)) as u64
}

/// The first top-level key of a JSON object that occurs twice; `None` if there is none or
/// `object` is not a JSON object.
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
