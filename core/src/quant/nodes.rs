//! The int8 nodes a quantised network is made of, one per node of its description: an
//! input's mapping, a fully connected layer, a sum, a concatenation, and the identity a
//! dropout becomes. Each computes with integers only and has a `const` constructor, so a
//! network exported as Rust source is `const` data in flash.

use super::fixed::{Affine, Multiplier, saturate_i8};
use super::{Observed, QuantiseError};
use crate::{Activation, Element, Identity, Perceptron, Relu, Sigmoid, Softmax, Tanh};
use core::fmt::{self, Write};

/// How an activation runs on the int8 sums of its layer: which calibrated range the sums
/// are requantised to, and what then turns them into the layer's output.
///
/// Implemented for ferroflow's activations: ReLU and the identity requantise straight to
/// their output (ReLU clamps at the zero point); sigmoid and tanh requantise to their
/// input's range and look the output up in a table of 256 entries, computed once when the
/// network is quantised; softmax (on the output layer only) leaves the logits, whose
/// arg-max is the class.
pub trait Int8Activation: Activation {
    /// What the layer keeps for the activation: a lookup table, or nothing.
    type Table: Copy + fmt::Debug;

    /// Whether the sums are requantised to the range seen after the activation (ReLU,
    /// identity) rather than before it (the others).
    const AFTER: bool;

    /// The table for sums requantised to `pre`, and the mapping of the outputs.
    fn table(pre: Affine, post: Affine) -> (Self::Table, Affine);

    /// The output for a requantised sum `v` (already offset by the zero point `zero`).
    fn finish(v: i32, zero: i8, table: &Self::Table) -> i8;

    /// Whether [`Table`](Self::Table) holds a table (else it is `()`).
    const HAS_TABLE: bool = false;

    /// Writes the table as a Rust `const` item, `{prefix}_TABLE`, if there is one.
    ///
    /// # Errors
    /// The first error the writer returns (none without a table: nothing is written).
    fn write_table(
        _table: &Self::Table,
        _prefix: &dyn fmt::Display,
        _out: &mut dyn Write,
    ) -> fmt::Result {
        Ok(())
    }
}

impl Int8Activation for Identity {
    type Table = ();
    const AFTER: bool = true;
    fn table(_: Affine, post: Affine) -> ((), Affine) {
        ((), post)
    }
    #[inline]
    fn finish(v: i32, _: i8, _: &()) -> i8 {
        saturate_i8(v)
    }
}

impl Int8Activation for Relu {
    type Table = ();
    const AFTER: bool = true;
    fn table(_: Affine, post: Affine) -> ((), Affine) {
        ((), post)
    }
    #[inline]
    fn finish(v: i32, zero: i8, _: &()) -> i8 {
        saturate_i8(v.max(i32::from(zero)))
    }
}

impl Int8Activation for Softmax {
    type Table = ();
    const AFTER: bool = false;
    fn table(pre: Affine, _: Affine) -> ((), Affine) {
        ((), pre)
    }
    #[inline]
    fn finish(v: i32, _: i8, _: &()) -> i8 {
        saturate_i8(v)
    }
}

/// A lookup table from an int8 input (at index `q + 128`) to an int8 output.
pub type Table = [i8; 256];

fn lookup_table(pre: Affine, output: Affine, f: impl Fn(f64) -> f64) -> Table {
    let mut table = [0; 256];
    for (q, entry) in (-128..=127).zip(&mut table) {
        *entry = output.quantise(f(f64::from(pre.dequantise(q))) as f32);
    }
    table
}

fn write_lookup_table(
    table: &Table,
    prefix: &dyn fmt::Display,
    out: &mut dyn Write,
) -> fmt::Result {
    write!(out, "\n#[rustfmt::skip]\npub const {prefix}_TABLE: [i8; 256] = ")?;
    write_i8s(table, out)?;
    out.write_str(";\n")
}

#[inline]
fn look_up(v: i32, table: &Table) -> i8 {
    // `v` saturated is an i8; flipping its sign bit makes it the index, with no bounds
    // check to fail.
    table[usize::from(saturate_i8(v) as u8 ^ 0x80)]
}

impl Int8Activation for Sigmoid {
    type Table = Table;
    const AFTER: bool = false;
    fn table(pre: Affine, _: Affine) -> (Table, Affine) {
        (lookup_table(pre, Affine::SIGMOID, |z| 1.0 / (1.0 + libm::exp(-z))), Affine::SIGMOID)
    }
    #[inline]
    fn finish(v: i32, _: i8, table: &Table) -> i8 {
        look_up(v, table)
    }
    const HAS_TABLE: bool = true;
    fn write_table(table: &Table, prefix: &dyn fmt::Display, out: &mut dyn Write) -> fmt::Result {
        write_lookup_table(table, prefix, out)
    }
}

impl Int8Activation for Tanh {
    type Table = Table;
    const AFTER: bool = false;
    fn table(pre: Affine, _: Affine) -> (Table, Affine) {
        (lookup_table(pre, Affine::TANH, libm::tanh), Affine::TANH)
    }
    #[inline]
    fn finish(v: i32, _: i8, table: &Table) -> i8 {
        look_up(v, table)
    }
    const HAS_TABLE: bool = true;
    fn write_table(table: &Table, prefix: &dyn fmt::Display, out: &mut dyn Write) -> fmt::Result {
        write_lookup_table(table, prefix, out)
    }
}

/// A node of a quantised network, for export: writes its `const` items and the
/// expression that builds it.
pub trait Int8Node {
    /// Writes the node's arrays as `const` items named `{prefix}_…`.
    ///
    /// # Errors
    /// The first error `out` returns.
    fn write_items(&self, prefix: &dyn fmt::Display, out: &mut dyn Write) -> fmt::Result;

    /// Writes the expression that constructs the node (from its items).
    ///
    /// # Errors
    /// The first error `out` returns.
    fn write_value(&self, prefix: &dyn fmt::Display, out: &mut dyn Write) -> fmt::Result;

    /// The bytes of flash the node's data takes.
    fn bytes(&self) -> usize;
}

/// An input of the network: how its reals become `i8`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct InputMapping {
    /// The mapping of the input's values.
    pub mapping: Affine,
}

impl InputMapping {
    /// The input with this mapping.
    pub const fn new(mapping: Affine) -> Self {
        Self { mapping }
    }

    /// Quantises columns `AT..AT + W` of the sample `x` into the same columns of `q`.
    #[inline]
    pub fn quantise_into<T: Element, const AT: usize, const W: usize, const I: usize>(
        &self,
        x: &[T; I],
        q: &mut [i8; I],
    ) {
        for (q, x) in q.iter_mut().zip(x).skip(AT).take(W) {
            *q = self.mapping.quantise(x.to_f64() as f32);
        }
    }
}

impl Int8Node for InputMapping {
    fn write_items(&self, _: &dyn fmt::Display, _: &mut dyn Write) -> fmt::Result {
        Ok(())
    }

    fn write_value(&self, _: &dyn fmt::Display, value: &mut dyn Write) -> fmt::Result {
        write!(value, "::ferroflow::quant::InputMapping::new(")?;
        write_affine(&self.mapping, value)?;
        value.write_str(")")
    }

    fn bytes(&self) -> usize {
        size_of::<Self>()
    }
}

/// The identity: a dropout, which inference does not apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pass;

impl Int8Node for Pass {
    fn write_items(&self, _: &dyn fmt::Display, _: &mut dyn Write) -> fmt::Result {
        Ok(())
    }

    fn write_value(&self, _: &dyn fmt::Display, value: &mut dyn Write) -> fmt::Result {
        value.write_str("::ferroflow::quant::Pass")
    }

    fn bytes(&self) -> usize {
        0
    }
}

/// A fully connected layer from `I` to `O` int8 values: `O` dot products of `i8` weights
/// with the `i8` input, summed in `i32`, requantised per output channel, and the
/// activation `A`.
///
/// The weights are symmetric per output channel (one scale per unit, zero point 0). The
/// bias is in the scale of the sums, with the input's zero point folded in
/// (`bias − zero_point · Σ weights`), so the inner loop is a plain dot product.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Dense<const I: usize, const O: usize, A: Int8Activation> {
    /// The weights, one row of `I` per unit (PyTorch's `[out][in]`).
    pub weights: [[i8; I]; O],
    /// Each unit's bias with the input's zero point folded in, in the scale of its sums.
    pub bias: [i32; O],
    /// Each unit's factor from its sums to the requantised scale.
    pub requantise: [Multiplier; O],
    /// The zero point of the requantised scale.
    pub zero_point: i8,
    /// The activation's table, if it has one.
    pub table: A::Table,
}

impl<const I: usize, const O: usize, A: Int8Activation> Dense<I, O, A> {
    /// The layer from its parts, as [`quantise`](Self::quantise) made them.
    pub const fn from_parts(
        weights: [[i8; I]; O],
        bias: [i32; O],
        requantise: [Multiplier; O],
        zero_point: i8,
        table: A::Table,
    ) -> Self {
        Self { weights, bias, requantise, zero_point, table }
    }

    /// Quantises `layer`, whose input is mapped by `input`; `seen` is what calibration
    /// saw of the layer's values. Returns the layer and the mapping of its output.
    ///
    /// # Errors
    /// [`QuantiseError`] if calibration saw a non-finite value, or if the sums of an input
    /// this wide could overflow an `i32`.
    pub fn quantise<T: Element>(
        name: &'static str,
        layer: &Perceptron<T, I, O, A>,
        input: Affine,
        seen: &Observed,
    ) -> Result<(Self, Affine), QuantiseError> {
        // |Σ x w| ≤ I · 128 · 127, and as much again for the folded zero point.
        if I > (i32::MAX as usize) / (2 * 128 * 127) {
            return Err(QuantiseError::TooWide { node: name, inputs: I });
        }
        let (pre, post) = seen.mappings(name)?;
        let target = if A::AFTER { post } else { pre };
        let (table, output) = A::table(pre, post);
        let mut dense = Self {
            weights: [[0; I]; O],
            bias: [0; O],
            requantise: [Multiplier::ONE; O],
            zero_point: target.zero_point,
            table,
        };
        let columns = &layer.weights.data.0;
        let input_scale = f64::from(input.scale);
        for o in 0..O {
            let largest = columns[o].iter().fold(0.0f64, |m, w| m.max(w.to_f64().abs()));
            if !largest.is_finite() {
                return Err(QuantiseError::NonFinite { node: name });
            }
            let scale = if largest > 0.0 { largest / 127.0 } else { 1.0 };
            let mut sum = 0i64;
            for (q, w) in dense.weights[o].iter_mut().zip(&columns[o]) {
                *q = super::fixed::round_to_i32(w.to_f64() / scale).clamp(-127, 127) as i8;
                sum += i64::from(*q);
            }
            let bias = layer.bias[o].to_f64();
            if !bias.is_finite() {
                return Err(QuantiseError::NonFinite { node: name });
            }
            let bias = i64::from(super::fixed::round_to_i32(bias / (input_scale * scale)));
            let folded = bias - i64::from(input.zero_point) * sum;
            dense.bias[o] = folded.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32;
            dense.requantise[o] =
                Multiplier::from_real(input_scale * scale / f64::from(target.scale));
        }
        Ok((dense, output))
    }

    /// The layer's output for one int8 sample.
    #[inline]
    pub fn forward(&self, x: &[i8; I]) -> [i8; O] {
        let mut out = [0; O];
        for (o, out) in out.iter_mut().enumerate() {
            let sum = self.weights[o]
                .iter()
                .zip(x)
                .fold(self.bias[o], |acc, (&w, &x)| acc.wrapping_add(i32::from(w) * i32::from(x)));
            let v = self.requantise[o].apply(sum).saturating_add(i32::from(self.zero_point));
            *out = A::finish(v, self.zero_point, &self.table);
        }
        out
    }
}

impl<const I: usize, const O: usize, A: Int8Activation> Int8Node for Dense<I, O, A> {
    fn write_items(&self, prefix: &dyn fmt::Display, items: &mut dyn Write) -> fmt::Result {
        write!(items, "\n#[rustfmt::skip]\npub const {prefix}_WEIGHT: [[i8; {I}]; {O}] = [\n")?;
        for row in &self.weights {
            items.write_str("    ")?;
            write_i8s(row, items)?;
            items.write_str(",\n")?;
        }
        items.write_str("];\n")?;
        write!(items, "#[rustfmt::skip]\npub const {prefix}_BIAS: [i32; {O}] = [")?;
        write_list(self.bias.iter(), items)?;
        items.write_str("];\n")?;
        write!(
            items,
            "#[rustfmt::skip]\npub const {prefix}_REQUANTISE: [::ferroflow::quant::Multiplier; {O}] = ["
        )?;
        write_list(self.requantise.iter().map(|m| MultiplierSource(*m)), items)?;
        items.write_str("];\n")?;
        A::write_table(&self.table, prefix, items)
    }

    fn write_value(&self, prefix: &dyn fmt::Display, value: &mut dyn Write) -> fmt::Result {
        write!(
            value,
            "::ferroflow::quant::Dense::from_parts({prefix}_WEIGHT, {prefix}_BIAS, \
             {prefix}_REQUANTISE, {}, ",
            self.zero_point
        )?;
        if A::HAS_TABLE { write!(value, "{prefix}_TABLE)") } else { value.write_str("())") }
    }

    fn bytes(&self) -> usize {
        size_of::<Self>()
    }
}

/// The element-wise sum of `K` int8 nodes of width `W`, each in its own scale: each part
/// is brought to a common fine scale (20 bits left of its `i8`, as TFLM's `ADD` does),
/// the parts are added in `i32`, and the sum is requantised to the output's scale.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sum<const W: usize, const K: usize> {
    /// Each part's zero point.
    pub zero_points: [i8; K],
    /// Each part's factor to the common scale.
    pub parts: [Multiplier; K],
    /// The factor from the common scale to the output's.
    pub output: Multiplier,
    /// The output's zero point.
    pub zero_point: i8,
}

/// The bits a sum's parts are shifted left by before they are scaled to a common scale.
const SUM_SHIFT: u32 = 20;

impl<const W: usize, const K: usize> Sum<W, K> {
    /// The sum from its parts.
    pub const fn from_parts(
        zero_points: [i8; K],
        parts: [Multiplier; K],
        output: Multiplier,
        zero_point: i8,
    ) -> Self {
        Self { zero_points, parts, output, zero_point }
    }

    /// The sum of parts mapped by `inputs`, whose values calibration saw as `seen`.
    ///
    /// # Errors
    /// [`QuantiseError::NonFinite`] if calibration saw a non-finite value.
    pub fn quantise(
        name: &'static str,
        inputs: [Affine; K],
        seen: &Observed,
    ) -> Result<(Self, Affine), QuantiseError> {
        let (_, output) = seen.mappings(name)?;
        // Twice the largest input scale: each part's factor is at most ½, so a part (at
        // most 255 · 2^20) stays below 2^28; up to 16 parts add without overflow, and the
        // sum saturates beyond (far outside any i8 after requantisation).
        let twice = 2.0 * inputs.iter().fold(0.0f64, |m, a| m.max(f64::from(a.scale)));
        let sum = Self {
            zero_points: inputs.map(|a| a.zero_point),
            parts: inputs.map(|a| Multiplier::from_real(f64::from(a.scale) / twice)),
            output: Multiplier::from_real(
                twice / (f64::from(1u32 << SUM_SHIFT) * f64::from(output.scale)),
            ),
            zero_point: output.zero_point,
        };
        Ok((sum, output))
    }

    /// Adds part `k`, of width `P` (equal to `W`: the description's widths were checked),
    /// to the running sums `acc`.
    #[inline]
    pub fn add<const P: usize>(&self, k: usize, part: &[i8; P], acc: &mut [i32; W]) {
        let (zero, factor) = (i32::from(self.zero_points[k]), self.parts[k]);
        for (acc, &q) in acc.iter_mut().zip(part) {
            *acc = acc.saturating_add(factor.apply((i32::from(q) - zero) << SUM_SHIFT));
        }
    }

    /// The output from the added parts.
    #[inline]
    pub fn finish(&self, acc: &[i32; W]) -> [i8; W] {
        let mut out = [0; W];
        for (out, &acc) in out.iter_mut().zip(acc) {
            *out = saturate_i8(self.output.apply(acc).saturating_add(i32::from(self.zero_point)));
        }
        out
    }
}

impl<const W: usize, const K: usize> Int8Node for Sum<W, K> {
    fn write_items(&self, _: &dyn fmt::Display, _: &mut dyn Write) -> fmt::Result {
        Ok(())
    }

    fn write_value(&self, _: &dyn fmt::Display, value: &mut dyn Write) -> fmt::Result {
        value.write_str("::ferroflow::quant::Sum::from_parts([")?;
        write_list(self.zero_points.iter(), value)?;
        value.write_str("], [")?;
        write_list(self.parts.iter().map(|m| MultiplierSource(*m)), value)?;
        write!(value, "], {}, {})", MultiplierSource(self.output), self.zero_point)
    }

    fn bytes(&self) -> usize {
        size_of::<Self>()
    }
}

/// The concatenation of `K` int8 nodes' values, each requantised from its scale to the
/// output's.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Concat<const K: usize> {
    /// Each part's zero point.
    pub zero_points: [i8; K],
    /// Each part's factor to the output's scale.
    pub parts: [Multiplier; K],
    /// The output's zero point.
    pub zero_point: i8,
}

impl<const K: usize> Concat<K> {
    /// The concatenation from its parts.
    pub const fn from_parts(zero_points: [i8; K], parts: [Multiplier; K], zero_point: i8) -> Self {
        Self { zero_points, parts, zero_point }
    }

    /// The concatenation of parts mapped by `inputs`, whose values calibration saw as
    /// `seen`.
    ///
    /// # Errors
    /// [`QuantiseError::NonFinite`] if calibration saw a non-finite value.
    pub fn quantise(
        name: &'static str,
        inputs: [Affine; K],
        seen: &Observed,
    ) -> Result<(Self, Affine), QuantiseError> {
        let (_, output) = seen.mappings(name)?;
        let concat = Self {
            zero_points: inputs.map(|a| a.zero_point),
            parts: inputs
                .map(|a| Multiplier::from_real(f64::from(a.scale) / f64::from(output.scale))),
            zero_point: output.zero_point,
        };
        Ok((concat, output))
    }

    /// Writes part `k`, of width `P`, into columns `AT..AT + P` of `out`.
    #[inline]
    pub fn place<const AT: usize, const P: usize, const W: usize>(
        &self,
        k: usize,
        part: &[i8; P],
        out: &mut [i8; W],
    ) {
        let (zero, factor) = (i32::from(self.zero_points[k]), self.parts[k]);
        for (out, &q) in out.iter_mut().skip(AT).zip(part) {
            let v = factor.apply(i32::from(q) - zero).saturating_add(i32::from(self.zero_point));
            *out = saturate_i8(v);
        }
    }
}

impl<const K: usize> Int8Node for Concat<K> {
    fn write_items(&self, _: &dyn fmt::Display, _: &mut dyn Write) -> fmt::Result {
        Ok(())
    }

    fn write_value(&self, _: &dyn fmt::Display, value: &mut dyn Write) -> fmt::Result {
        value.write_str("::ferroflow::quant::Concat::from_parts([")?;
        write_list(self.zero_points.iter(), value)?;
        value.write_str("], [")?;
        write_list(self.parts.iter().map(|m| MultiplierSource(*m)), value)?;
        write!(value, "], {})", self.zero_point)
    }

    fn bytes(&self) -> usize {
        size_of::<Self>()
    }
}

/// Columns `AT..AT + W` of an int8 sample: one input of a network of several.
#[inline]
pub fn columns<const AT: usize, const W: usize, const I: usize>(x: &[i8; I]) -> [i8; W] {
    let mut out = [0; W];
    for (out, &x) in out.iter_mut().zip(x.iter().skip(AT)) {
        *out = x;
    }
    out
}

/// A multiplier as the Rust expression that builds it.
struct MultiplierSource(Multiplier);

impl fmt::Display for MultiplierSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "::ferroflow::quant::Multiplier {{ multiplier: {}, shift: {} }}",
            self.0.multiplier, self.0.shift
        )
    }
}

/// Writes `Affine::new(scale, zero_point)`, the scale with the digits that read back to
/// its bits.
pub(crate) fn write_affine(a: &Affine, out: &mut dyn Write) -> fmt::Result {
    write!(out, "::ferroflow::quant::Affine::new({:?}, {})", a.scale, a.zero_point)
}

fn write_list<D: fmt::Display>(items: impl Iterator<Item = D>, out: &mut dyn Write) -> fmt::Result {
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.write_str(", ")?;
        }
        write!(out, "{item}")?;
    }
    Ok(())
}

fn write_i8s(values: &[i8], out: &mut dyn Write) -> fmt::Result {
    out.write_str("[")?;
    write_list(values.iter(), out)?;
    out.write_str("]")
}
