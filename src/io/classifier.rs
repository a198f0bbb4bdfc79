//! A classifier as it travels: its network, with any preprocessing inside it, and the names
//! of its classes, in one safetensors file.

use super::safetensors::{self, LoadWeights, WeightsError, WeightsErrorKind};
use crate::data::Dataset;
use crate::optim::Parameters;
use crate::{Element, Network};
use std::path::Path;

/// The `__metadata__` key that holds the class names, as a JSON list of strings.
pub const CLASSES_KEY: &str = "classes";

/// A network that classifies into `K` named classes: `predict_label` answers with a name,
/// and [`save`](Self::save) / [`load`](Self::load) keep the names with the weights (in the
/// file's metadata under [`CLASSES_KEY`]), so a reloaded model, in another program,
/// answers with the same names.
///
/// ```
/// use ferroflow::io::Classifier;
/// use ferroflow::prelude::*;
/// network! {
///     struct Gate<f32> { input: 2, output: Perceptron<2, Softmax> }
/// }
/// let net = Gate::new(Perceptron::from_arrays([[1.0, 0.0], [0.0, 1.0]], [0.0, 0.0]));
/// let gate = Classifier::new(net, ["left".to_string(), "right".to_string()]);
/// assert_eq!(gate.predict_label(&[0.2, 0.9]), "right");
///
/// let path = std::env::temp_dir().join(format!("gate-{}.safetensors", std::process::id()));
/// gate.save(&path)?;
/// let loaded = Classifier::<Gate, 2>::load(&path)?;
/// assert_eq!((loaded.classes(), loaded.predict_label(&[0.9, 0.2])), (gate.classes(), "left"));
/// # std::fs::remove_file(&path)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Classifier<Net, const K: usize> {
    /// The network: its `K` outputs score the classes, in order.
    pub net: Net,
    classes: [String; K],
}

impl<Net, const K: usize> Classifier<Net, K> {
    /// `net`, whose output `k` scores the class named `classes[k]`.
    pub fn new(net: Net, classes: [String; K]) -> Self {
        Self { net, classes }
    }

    /// `net` with the class names of the data set it was trained on; classes the data set
    /// has no name for (numeric labels) are named by their number.
    pub fn from_dataset<T: Element, const N: usize>(net: Net, data: &Dataset<T, N, K>) -> Self {
        let names = data.class_names().unwrap_or_default();
        let classes = core::array::from_fn(|k| names.get(k).cloned().unwrap_or(k.to_string()));
        Self { net, classes }
    }

    /// The class names, in the order of the network's outputs.
    pub fn classes(&self) -> &[String; K] {
        &self.classes
    }

    /// The name of the class the network gives `sample` (its largest output).
    pub fn predict_label<T: Element, const I: usize>(&self, sample: &[T; I]) -> &str
    where
        Net: Network<T, I, K>,
    {
        let scores = self.net.forward(&crate::matrix::row(*sample));
        &self.classes[crate::matrix::argmax_rows(&scores)[0]]
    }

    /// Saves the network's weights (and any preprocessing's statistics) with the class
    /// names in the file's metadata.
    ///
    /// # Errors
    /// As [`safetensors::save`]: [`WeightsErrorKind::NonFinite`] for a weight that is NaN or
    /// infinite (nothing is written), [`WeightsErrorKind::Io`] if the folder or the file cannot
    /// be written.
    ///
    /// # Panics
    /// As [`safetensors::to_bytes`]: only for a header past 100 MB.
    pub fn save<T: Element>(&self, path: impl AsRef<Path>) -> Result<(), WeightsError>
    where
        Net: Parameters<T>,
    {
        let names = serde_json::Value::from(self.classes.to_vec()).to_string();
        safetensors::save(&self.net, path, &[(CLASSES_KEY, &names)])
    }

    /// Loads a classifier that [`save`](Self::save) wrote: the weights into a new `Net`,
    /// the class names from the metadata, which must hold `K` of them.
    ///
    /// # Errors
    /// The errors of [`safetensors::load`] (a file that cannot be read, is not safetensors, or
    /// whose tensors differ from `Net`'s or are not finite), and
    /// [`WeightsErrorKind::Metadata`] for the key [`CLASSES_KEY`] if the metadata lacks it, or
    /// it is not a JSON list of `K` strings.
    pub fn load<T: Element>(path: impl AsRef<Path>) -> Result<Self, WeightsError>
    where
        Net: Parameters<T> + Default,
    {
        let path = path.as_ref();
        let (net, metadata) = Net::load_with_metadata(path)?;
        let error = |reason: String| WeightsError {
            file: path.into(),
            kind: WeightsErrorKind::Metadata { key: CLASSES_KEY.into(), reason },
        };
        let Some(text) = metadata.get(CLASSES_KEY) else {
            return Err(error(format!("missing: expected the names of the {K} classes")));
        };
        let names: Vec<String> = serde_json::from_str(text).map_err(|e| {
            error(format!("expected a JSON list of {K} names, found {text:?} ({e})"))
        })?;
        let found = names.len();
        let classes = <[String; K]>::try_from(names)
            .map_err(|_| error(format!("expected {K} class names, found {found}")))?;
        Ok(Self { net, classes })
    }

    /// The Rust source of [`to_rust_source`](super::to_rust_source) for the network, and
    /// the class names as `pub const {CONST_NAME}_CLASSES: [&str; K]`, so firmware can
    /// name what it finds.
    ///
    /// # Errors
    /// As [`to_rust_source`](super::to_rust_source): an
    /// [`ExportError`](super::ExportError) for names that would not compile, or a layer that
    /// is not a perceptron.
    pub fn to_rust_source<T: Element>(
        &self,
        type_name: &str,
        const_name: &str,
    ) -> Result<String, super::ExportError>
    where
        Net: Parameters<T>,
    {
        let mut source = super::to_rust_source(&self.net, type_name, const_name)?;
        // `{:?}` of a `str` is a Rust string literal: quotes and escapes included.
        let names: Vec<String> = self.classes.iter().map(|name| format!("{name:?}")).collect();
        source += &format!(
            "\n/// The names of the classes, in the order of the network's outputs.\n\
             pub const {const_name}_CLASSES: [&str; {K}] = [{}];\n",
            names.join(", ")
        );
        Ok(source)
    }
}
