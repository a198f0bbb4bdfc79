//! Int8 inference: a trained network quantised after training, computing with integers
//! only, for microcontrollers without an FPU and flash too small for `f32` weights.
//!
//! `ferroflow`'s `examples/int8_digits.rs` quantises a trained network, compares its accuracy
//! with the float network's and exports it; the firmware runs such exports.
//!
//! # The scheme
//! TensorFlow Lite's int8 specification, which TFLM and CMSIS-NN implement:
//! - weights: `i8`, symmetric, one scale per output channel (per unit), in `−127..=127`;
//! - biases: `i32` in the scale of the sums (input scale × weight scale);
//! - activations: `i8` with a scale and zero point each, calibrated on samples the caller
//!   passes (the smallest and largest value each node takes on them, widened to hold 0);
//! - each layer sums `i8 × i8` products in `i32` and requantises by a fixed-point
//!   multiplier and shift per channel ([`Multiplier`]), rounding as TFLM does;
//! - sigmoid and tanh are tables of 256 entries; softmax is not computed: on the output
//!   layer the logits' arg-max is the class ([`Int8::classify_int8`]).
//!
//! A quantised network is [`Int8<Net, I, O>`]: its input and output widths are its
//! network's, so a sample of the wrong width is a compile error, as for the float
//! network. It is `no_std`, allocates nothing, and [`Int8::write_source`] exports it as
//! `const` Rust (`i8` arrays) that a firmware keeps in flash.

mod fixed;
mod nodes;

pub use fixed::{Affine, Multiplier};
pub use nodes::{Concat, Dense, InputMapping, Int8Activation, Int8Node, Pass, Sum, Table, columns};

use crate::{Element, Matrix, Perceptron};
use core::fmt::{self, Write};

/// A network `network!` can quantise: the macro implements this for every network it
/// builds, with the int8 nodes of its description and the straight-line passes over them.
pub trait Quantise<const I: usize, const O: usize>: Sized {
    /// The float network's element type.
    type Element: Element;
    /// The int8 nodes, one per node of the description, in the order written.
    type Nodes: Copy;
    /// What calibration saw of each node.
    type Seen: AsRef<[Observed]> + AsMut<[Observed]> + Copy;
    /// Calibration's start: nothing seen yet.
    const UNSEEN: Self::Seen;
    /// Whether the output layer is a softmax (the int8 output then holds its logits).
    const SOFTMAX: bool;

    /// The float forward pass of one sample, widening each node's ranges in `seen`.
    fn observe(&self, x: &Matrix<Self::Element, 1, I>, seen: &mut Self::Seen);

    /// The int8 nodes for the ranges `seen`, and the mapping of the output.
    ///
    /// # Errors
    /// See [`QuantiseError`].
    fn quantise_nodes(&self, seen: &Self::Seen) -> Result<(Self::Nodes, Affine), QuantiseError>;

    /// A sample in the mappings of the network's inputs.
    fn quantise_input(nodes: &Self::Nodes, x: &[Self::Element; I]) -> [i8; I];

    /// The int8 forward pass of one sample.
    fn forward_int8(nodes: &Self::Nodes, x: &[i8; I]) -> [i8; O];

    /// Calls `f` with each node's name and node, in the order written.
    ///
    /// # Errors
    /// The first error `f` returns.
    fn for_each_node(
        nodes: &Self::Nodes,
        f: &mut dyn FnMut(&'static str, &dyn Int8Node) -> fmt::Result,
    ) -> fmt::Result;
}

/// Why a network could not be quantised.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuantiseError {
    /// No calibration sample was given: the activations' ranges are unknown.
    NoCalibration,
    /// A weight, a bias or a calibrated value of the node is `NaN` or infinite.
    NonFinite {
        /// The node.
        node: &'static str,
    },
    /// The node's input is so wide that its `i32` sums could overflow.
    TooWide {
        /// The node.
        node: &'static str,
        /// Its input width.
        inputs: usize,
    },
}

impl fmt::Display for QuantiseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoCalibration => f.write_str(
                "no calibration samples: quantisation needs samples like the network's inputs \
                 to measure each node's range",
            ),
            Self::NonFinite { node } => write!(
                f,
                "node `{node}`: a weight, bias or calibrated value is NaN or infinite; \
                 quantise a finite network on finite samples"
            ),
            Self::TooWide { node, inputs } => write!(
                f,
                "node `{node}`: {inputs} inputs are too many for int8 sums in i32 (at most {})",
                (i32::MAX as usize) / (2 * 128 * 127)
            ),
        }
    }
}

impl core::error::Error for QuantiseError {}

/// The smallest and largest values seen.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Range {
    /// The smallest value seen (`+∞` before any).
    pub min: f64,
    /// The largest value seen (`−∞` before any).
    pub max: f64,
}

impl Range {
    /// No value seen.
    pub const EMPTY: Self = Self { min: f64::INFINITY, max: f64::NEG_INFINITY };
}

/// What calibration saw of one node: its values before the activation (a layer's sums;
/// for other nodes the same as after) and after it, and whether any was not finite.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Observed {
    /// Before the activation.
    pub pre: Range,
    /// After the activation: the node's output.
    pub post: Range,
    /// Whether a value was `NaN` or infinite.
    pub non_finite: bool,
}

impl Observed {
    /// Nothing seen.
    pub const UNSEEN: Self = Self { pre: Range::EMPTY, post: Range::EMPTY, non_finite: false };

    /// Widens the range before the activation to hold `values`.
    pub fn see_pre<T: Element>(&mut self, values: &[T]) {
        Self::widen(&mut self.pre, &mut self.non_finite, values);
    }

    /// Widens the range after the activation to hold `values`.
    pub fn see_post<T: Element>(&mut self, values: &[T]) {
        Self::widen(&mut self.post, &mut self.non_finite, values);
    }

    /// Widens both ranges: a node without an activation.
    pub fn see<T: Element>(&mut self, values: &[T]) {
        self.see_pre(values);
        self.see_post(values);
    }

    fn widen<T: Element>(range: &mut Range, non_finite: &mut bool, values: &[T]) {
        for v in values {
            let v = v.to_f64();
            *non_finite |= !v.is_finite();
            range.min = range.min.min(v);
            range.max = range.max.max(v);
        }
    }

    /// The int8 mappings of the ranges before and after the activation.
    ///
    /// # Errors
    /// [`QuantiseError::NonFinite`] for a node that took a non-finite value.
    pub fn mappings(&self, node: &'static str) -> Result<(Affine, Affine), QuantiseError> {
        if self.non_finite {
            return Err(QuantiseError::NonFinite { node });
        }
        let map = |r: &Range| {
            if r.min <= r.max { Affine::covering(r.min, r.max) } else { Affine::covering(0.0, 0.0) }
        };
        Ok((map(&self.pre), map(&self.post)))
    }
}

impl<T: Element, const I: usize, const O: usize, A: Int8Activation> Perceptron<T, I, O, A> {
    /// The float output of one sample, widening `seen` with the layer's sums and outputs:
    /// what calibration runs.
    pub fn observe(&self, x: &Matrix<T, 1, I>, seen: &mut Observed) -> Matrix<T, 1, O> {
        let mut z = self.pre_activation(x);
        seen.see_pre(z.as_slice());
        A::forward_in_place(&mut z);
        seen.see_post(z.as_slice());
        z
    }

    /// The layer in int8 ([`Dense::quantise`]).
    ///
    /// # Errors
    /// See [`Dense::quantise`].
    pub fn quantise_int8(
        &self,
        name: &'static str,
        input: Affine,
        seen: &Observed,
    ) -> Result<(Dense<I, O, A>, Affine), QuantiseError> {
        Dense::quantise(name, self, input, seen)
    }
}

/// A network quantised to int8: the network `Net` from `I` inputs to `O` outputs, with
/// integer nodes in place of its float layers.
pub struct Int8<Net: Quantise<I, O>, const I: usize, const O: usize> {
    /// The int8 nodes, one per node of the description.
    pub nodes: Net::Nodes,
    /// The mapping of the output (the logits' under a softmax).
    pub output: Affine,
}

impl<Net: Quantise<I, O>, const I: usize, const O: usize> Clone for Int8<Net, I, O> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<Net: Quantise<I, O>, const I: usize, const O: usize> Copy for Int8<Net, I, O> {}

impl<Net: Quantise<I, O>, const I: usize, const O: usize> fmt::Debug for Int8<Net, I, O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut list = f.debug_struct("Int8");
        let _ = Net::for_each_node(&self.nodes, &mut |name, node| {
            list.field(name, &format_args!("{} bytes", node.bytes()));
            Ok(())
        });
        list.field("output", &self.output).finish()
    }
}

impl<Net: Quantise<I, O>, const I: usize, const O: usize> Int8<Net, I, O> {
    /// The quantised network from its parts: what exported source calls.
    pub const fn from_parts(nodes: Net::Nodes, output: Affine) -> Self {
        Self { nodes, output }
    }

    /// Quantises `net`, calibrating the ranges of its activations on `calibration`:
    /// samples like those it will see (a few hundred of the training set do).
    ///
    /// # Errors
    /// [`QuantiseError::NoCalibration`] for no samples; [`QuantiseError::NonFinite`] if a
    /// weight or a value the network computes on them is not finite;
    /// [`QuantiseError::TooWide`] for a layer of more than 66,052 inputs.
    pub fn quantise<'a>(
        net: &Net,
        calibration: impl IntoIterator<Item = &'a [Net::Element; I]>,
    ) -> Result<Self, QuantiseError>
    where
        Net::Element: 'a,
    {
        let mut seen = Net::UNSEEN;
        let mut any = false;
        for x in calibration {
            net.observe(&Matrix::from_row_slice(x), &mut seen);
            any = true;
        }
        if !any {
            return Err(QuantiseError::NoCalibration);
        }
        let (nodes, output) = net.quantise_nodes(&seen)?;
        Ok(Self { nodes, output })
    }

    /// A float sample in the int8 mapping of the network's input.
    pub fn quantise_input(&self, x: &[Net::Element; I]) -> [i8; I] {
        Net::quantise_input(&self.nodes, x)
    }

    /// The int8 output of an int8 sample: integer arithmetic only.
    pub fn forward(&self, x: &[i8; I]) -> [i8; O] {
        Net::forward_int8(&self.nodes, x)
    }

    /// The class of an int8 sample: the index of the largest output (the first of equal
    /// ones), integer arithmetic only.
    pub fn classify_int8(&self, x: &[i8; I]) -> usize {
        argmax(&self.forward(x))
    }

    /// The class of a float sample, quantised first.
    pub fn classify(&self, x: &[Net::Element; I]) -> usize {
        self.classify_int8(&self.quantise_input(x))
    }

    /// The real values an int8 output stands for; under a softmax, the probabilities of
    /// the dequantised logits (in float: for the host, or a core with an FPU).
    pub fn dequantise(&self, y: &[i8; O]) -> [f32; O] {
        let mut out = y.map(|q| self.output.dequantise(q));
        if Net::SOFTMAX {
            let largest = out.iter().fold(f32::NEG_INFINITY, |m, &v| m.max(v));
            let mut total = 0.0;
            for v in &mut out {
                *v = libm::expf(*v - largest);
                total += *v;
            }
            for v in &mut out {
                *v /= total;
            }
        }
        out
    }

    /// The network's output for a float sample, computed in int8: quantise, forward,
    /// [`dequantise`](Self::dequantise).
    pub fn predict(&self, x: &[Net::Element; I]) -> [f32; O] {
        self.dequantise(&self.forward(&self.quantise_input(x)))
    }

    /// The bytes the quantised network takes (its weights, biases, multipliers and
    /// tables), in flash when exported as `const` data.
    pub fn bytes(&self) -> usize {
        let mut total = size_of::<Affine>();
        let _ = Net::for_each_node(&self.nodes, &mut |_, node| {
            total += node.bytes();
            Ok(())
        });
        total
    }

    /// Writes the network as Rust source: `const` arrays named `{const_name}_{NODE}_…`
    /// and `pub const {const_name}: ::ferroflow::quant::Int8<{type_name}, I, O>`, built
    /// from them. `type_name` names the float network's type where the source is
    /// compiled. The facade's `ferroflow::io::int8_to_rust_source` checks both names.
    ///
    /// # Errors
    /// The first error `out` returns.
    pub fn write_source(
        &self,
        type_name: &str,
        const_name: &str,
        out: &mut dyn Write,
    ) -> fmt::Result {
        writeln!(out, "// An int8 network exported by ferroflow: {} bytes.", self.bytes())?;
        Net::for_each_node(&self.nodes, &mut |node, n| {
            n.write_items(&Prefix { const_name, node }, out)
        })?;
        write!(
            out,
            "\npub const {const_name}: ::ferroflow::quant::Int8<{type_name}, {I}, {O}> =\n    \
             ::ferroflow::quant::Int8::from_parts(\n        (\n"
        )?;
        Net::for_each_node(&self.nodes, &mut |node, n| {
            out.write_str("            ")?;
            n.write_value(&Prefix { const_name, node }, out)?;
            out.write_str(",\n")
        })?;
        out.write_str("        ),\n        ")?;
        nodes::write_affine(&self.output, out)?;
        out.write_str(",\n    );\n")
    }
}

/// `{CONST_NAME}_{NODE}`: a node's items' prefix, upper case.
struct Prefix<'a> {
    const_name: &'a str,
    node: &'a str,
}

impl fmt::Display for Prefix<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.const_name)?;
        f.write_char('_')?;
        for c in self.node.chars() {
            f.write_char(c.to_ascii_uppercase())?;
        }
        Ok(())
    }
}

/// The index of the largest value, the first of equal ones.
pub fn argmax<const N: usize>(values: &[i8; N]) -> usize {
    let mut best = 0;
    for (i, &v) in values.iter().enumerate() {
        if v > values[best] {
            best = i;
        }
    }
    best
}
