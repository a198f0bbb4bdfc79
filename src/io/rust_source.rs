//! Exporting trained weights as Rust source: `const` arrays and the constructor call, to
//! compile a network into a program (a microcontroller's flash) with no file to load.
//!
//! ```
//! use ferroflow::io::to_rust_source;
//! use ferroflow::{Perceptron, Sigmoid};
//! let p = Perceptron::<f32, 2, 1, Sigmoid>::from_arrays([[0.5, -1.25]], [0.1]);
//! let source = to_rust_source(&p, "Perceptron<f32, 2, 1, Sigmoid>", "GATE")?;
//! assert!(source.contains("pub const GATE_WEIGHT: [[f32; 2]; 1] = [\n    [0.5, -1.25],\n];"));
//! assert!(source.contains(
//!     "pub const GATE: Perceptron<f32, 2, 1, Sigmoid> =\n    \
//!      ::ferroflow::Perceptron::from_arrays(GATE_WEIGHT, GATE_BIAS);"
//! ));
//! # Ok::<(), ferroflow::io::ExportError>(())
//! ```

use crate::Element;
use crate::optim::Parameters;
use std::fmt::Write;

/// A model that cannot be written as Rust source, or names that would not compile.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}{message}", if layer.is_empty() { String::new() } else { format!("layer {layer}: ") })]
pub struct ExportError {
    /// The layer at fault (`""` for a lone layer, or for the names).
    pub layer: String,
    /// What was expected of it and what it has.
    pub message: String,
}

/// One layer's tensors: its name, and each tensor's name, shape and values.
struct Layer<T> {
    name: String,
    tensors: Vec<(String, Vec<usize>, Vec<T>)>,
}

/// Rust source declaring `params`' weights as `const` arrays and `const_name`, a
/// `type_name` value built from them.
///
/// Every layer must be a perceptron: a `weight` of shape `[out, in]` followed by a `bias`
/// of shape `[out]`, as a `network!` network's layers and a lone
/// [`Perceptron`](crate::Perceptron) are. For a network (named layers) the value is
/// `type_name::new(layer, …)`, the positional `const` constructor `network!` generates; for
/// a lone perceptron it is the perceptron itself. Arrays are named
/// `{CONST_NAME}_{LAYER}_{TENSOR}` and laid out `[out][in]`, as
/// [`Perceptron::from_arrays`](crate::Perceptron::from_arrays) takes them.
///
/// Every value is printed with the fewest digits that read back to the same bits, so the
/// compiled weights equal the trained ones exactly.
///
/// A network that keeps a layer on the heap (with `alloc`: a layer of at least
/// [`LARGE_LAYER`](crate::perceptron::LARGE_LAYER) weights, or one with a generic width) has
/// a `new` that is not `const` ([`Parameters::CONST_CONSTRUCTOR`]): for it the value is a
/// function, `pub fn {const_name lowercased}() -> type_name`, and the arrays stay `const`.
/// `type_name` may have generic arguments (`Mlp<16>`).
///
/// A [`Preprocessed`](crate::Preprocessed) model's input scaling is written too, as
/// `{CONST_NAME}_PREPROCESS_OFFSET` and `_SCALE`, and the value is the network (named by
/// `type_name`) inside it: of type `::ferroflow::Preprocessed<T, type_name, I>`, so the
/// firmware takes raw inputs as the trained model did.
///
/// `const_name` must be a Rust constant's name in upper case (`[A-Z][A-Z0-9_]*`, so the
/// arrays' names derived from it are too), and `type_name` a Rust type path (letters,
/// digits, `_`, `::`, and generic arguments in `<…>`); anything else is an error, not
/// source that fails to compile.
///
/// # Errors
/// [`ExportError`] if `const_name` is not an upper-case Rust constant's name or `type_name`
/// not a type path; and, naming the layer, for a layer that is not a perceptron (a `weight`
/// of shape `[out, in]`, then a `bias` of shape `[out]`) or a
/// [`Preprocessed`](crate::Preprocessed) model's input scaling that is not an `offset` and
/// a `scale` of one shape.
pub fn to_rust_source<T: Element, P: Parameters<T>>(
    params: &P,
    type_name: &str,
    const_name: &str,
) -> Result<String, ExportError> {
    check_names(type_name, const_name)?;
    let mut layers: Vec<Layer<T>> = Vec::new();
    params.for_each_param(&mut |name, values| {
        if layers.last().is_none_or(|layer| layer.name != name.layer) {
            layers.push(Layer { name: name.layer.to_owned(), tensors: Vec::new() });
        }
        if let Some(layer) = layers.last_mut() {
            layer.tensors.push((name.tensor.to_owned(), name.shape.to_vec(), values.to_vec()));
        }
    });
    let scaling = take_scaling(&mut layers)?;
    let lone = layers.len() == 1 && layers[0].name.is_empty();

    let mut out = String::new();
    let _ = writeln!(out, "// Weights exported by ferroflow: {} parameters.", P::PARAM_COUNT);
    if let Some((offset, scale)) = &scaling {
        let (element, width) = (T::NAME, offset.len());
        for (tensor, values) in [("OFFSET", offset), ("SCALE", scale)] {
            let _ = writeln!(out, "\n#[rustfmt::skip]");
            let _ = writeln!(
                out,
                "pub const {const_name}_PREPROCESS_{tensor}: [{element}; {width}] = [{}];",
                literals(values)
            );
        }
    }
    let mut constructors = Vec::new();
    for layer in &layers {
        let [(weight, weight_shape, weights), (bias, bias_shape, biases)] = &layer.tensors[..]
        else {
            return Err(not_a_perceptron(layer));
        };
        let &[outputs, inputs] = &weight_shape[..] else { return Err(not_a_perceptron(layer)) };
        if weight != "weight" || bias != "bias" || bias_shape[..] != [outputs] {
            return Err(not_a_perceptron(layer));
        }
        let prefix = if lone {
            const_name.to_owned()
        } else {
            format!("{const_name}_{}", layer.name.to_uppercase())
        };
        let element = T::NAME;
        let _ = writeln!(out, "\n#[rustfmt::skip]");
        let _ = writeln!(out, "pub const {prefix}_WEIGHT: [[{element}; {inputs}]; {outputs}] = [");
        for row in weights.chunks(inputs.max(1)).take(outputs) {
            let _ = writeln!(out, "    [{}],", literals(row));
        }
        let _ = writeln!(out, "];");
        let _ = writeln!(out, "#[rustfmt::skip]");
        let _ = writeln!(
            out,
            "pub const {prefix}_BIAS: [{element}; {outputs}] = [{}];",
            literals(biases)
        );
        constructors
            .push(format!("::ferroflow::Perceptron::from_arrays({prefix}_WEIGHT, {prefix}_BIAS)"));
    }
    // `<Mlp<16>>::new`: a type with generic arguments needs the brackets in an expression.
    let path =
        if type_name.contains('<') { format!("<{type_name}>") } else { type_name.to_owned() };
    if let Some((offset, _)) = scaling {
        // The network inside its input scaling: `type_name` names the network.
        let network = if lone {
            constructors[0].clone()
        } else {
            let layers: String = constructors.iter().map(|c| format!("        {c},\n")).collect();
            format!("{path}::new(\n{layers}    )")
        };
        let ty = format!("::ferroflow::Preprocessed<{}, {type_name}, {}>", T::NAME, offset.len());
        let value = format!(
            "::ferroflow::Preprocessed::new(\n    ::ferroflow::InputScaling::new(\
             {const_name}_PREPROCESS_OFFSET, {const_name}_PREPROCESS_SCALE),\n    {network},\n)"
        );
        if P::CONST_CONSTRUCTOR {
            let _ = writeln!(out, "\npub const {const_name}: {ty} = {value};");
        } else {
            let function = const_name.to_lowercase();
            let _ = writeln!(
                out,
                "\n/// The exported model (not `const`: a layer this large lives on the heap)."
            );
            let _ = writeln!(out, "pub fn {function}() -> {ty} {{\n    {value}\n}}");
        }
    } else if lone {
        let _ = writeln!(out, "\npub const {const_name}: {type_name} =\n    {};", constructors[0]);
    } else if !P::CONST_CONSTRUCTOR {
        let function = const_name.to_lowercase();
        let _ = writeln!(
            out,
            "\n/// The exported network (not `const`: a layer this large lives on the heap)."
        );
        let _ = writeln!(out, "pub fn {function}() -> {type_name} {{\n    {path}::new(");
        for constructor in &constructors {
            let _ = writeln!(out, "        {constructor},");
        }
        let _ = writeln!(out, "    )\n}}");
    } else {
        let _ = writeln!(out, "\npub const {const_name}: {type_name} = {path}::new(");
        for constructor in &constructors {
            let _ = writeln!(out, "    {constructor},");
        }
        let _ = writeln!(out, ");");
    }
    Ok(out)
}

/// Rust source declaring an int8 network ([`Int8`](crate::quant::Int8)): its weights,
/// biases, requantisation multipliers and activation tables as `const` arrays of `i8` and
/// `i32`, and `pub const {const_name}: ::ferroflow::quant::Int8<{type_name}, I, O>` built
/// from them, so the whole network is data in flash. `type_name` names the float
/// network's type where the source is compiled (the int8 type is generic over it).
///
/// ```
/// # use ferroflow::prelude::*;
/// # use ferroflow::quant::Int8;
/// network! {
///     /// A gate.
///     pub struct Gate<f32> { input: 2, hidden: Perceptron<4, Relu>, output: Perceptron<2, Softmax> }
/// }
/// let net = Gate::random(&mut SeededRng::seed_from_u64(1));
/// let int8 = Int8::quantise(&net, &[[0.0, 1.0], [1.0, 0.0]])?;
/// let source = ferroflow::io::int8_to_rust_source(&int8, "Gate", "GATE")?;
/// assert!(source.contains("pub const GATE_HIDDEN_WEIGHT: [[i8; 2]; 4] = ["));
/// assert!(source.contains("pub const GATE: ::ferroflow::quant::Int8<Gate, 2, 2> ="));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`ExportError`] if `const_name` is not an upper-case Rust constant's name or
/// `type_name` not a type path (the rules of [`to_rust_source`]).
pub fn int8_to_rust_source<Net, const I: usize, const O: usize>(
    int8: &crate::quant::Int8<Net, I, O>,
    type_name: &str,
    const_name: &str,
) -> Result<String, ExportError>
where
    Net: crate::quant::Quantise<I, O>,
{
    check_names(type_name, const_name)?;
    let mut out = String::new();
    // Writing into a `String` cannot fail.
    let _ = int8.write_source(type_name, const_name, &mut out);
    Ok(out)
}

/// The names go into the source as they are: refuse any that would not compile.
fn check_names(type_name: &str, const_name: &str) -> Result<(), ExportError> {
    let error = |message: String| Err(ExportError { layer: String::new(), message });
    let mut chars = const_name.chars();
    let constant = chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    if !constant {
        return error(format!(
            "the constant's name {const_name:?} is not a Rust constant's name: write an upper-case \
             letter, then upper-case letters, digits or `_` (`TRAINED`, `DIGITS_V2`)"
        ));
    }
    if !is_type_path(type_name) {
        return error(format!(
            "the type's name {type_name:?} is not a Rust type: write a path of identifiers, with \
             generic arguments in `<…>` if it has any (`Digits`, `my_crate::Mlp<16>`)"
        ));
    }
    Ok(())
}

/// Whether `text` reads as a type path with generic arguments: identifiers separated by
/// `::` (and maybe led by one), and `<…>` lists of such types or integers, balanced. Not Rust's whole type
/// grammar (no references, tuples, arrays, which no network's type needs).
fn is_type_path(text: &str) -> bool {
    let mut depth = 0usize;
    let mut segment_start = true;
    // A path may start at the crate root: `::my_crate::Net`.
    let mut chars = text.strip_prefix("::").unwrap_or(text).chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            'a'..='z' | 'A'..='Z' | '_' | '0'..='9' => segment_start = false,
            ':' if !segment_start && chars.next_if_eq(&':').is_some() => segment_start = true,
            '<' if !segment_start => {
                depth += 1;
                segment_start = true;
            }
            '>' if !segment_start && depth > 0 => depth -= 1,
            ',' if !segment_start && depth > 0 => {
                segment_start = true;
                while chars.next_if_eq(&' ').is_some() {}
            }
            _ => return false,
        }
    }
    depth == 0 && !segment_start
}

/// An input scaling's offsets and scales, as exported.
type Scaling<T> = (Vec<T>, Vec<T>);

/// Takes a [`Preprocessed`](crate::Preprocessed) model's input scaling (its first layer,
/// `preprocess`, with `offset` and `scale` of one shape `[I]`) out of `layers`.
fn take_scaling<T: Element>(layers: &mut Vec<Layer<T>>) -> Result<Option<Scaling<T>>, ExportError> {
    if layers.first().is_none_or(|layer| layer.name != crate::InputScaling::<T, 0>::LAYER) {
        return Ok(None);
    }
    let layer = layers.remove(0);
    match &layer.tensors[..] {
        [(offset, offset_shape, offsets), (scale, scale_shape, scales)]
            if offset == "offset" && scale == "scale" && offset_shape == scale_shape =>
        {
            Ok(Some((offsets.clone(), scales.clone())))
        }
        _ => Err(ExportError {
            layer: layer.name.clone(),
            message: "expected an input scaling (offset [I], then scale [I])".into(),
        }),
    }
}

fn not_a_perceptron<T>(layer: &Layer<T>) -> ExportError {
    let found: Vec<String> =
        layer.tensors.iter().map(|(name, shape, _)| format!("{name} {shape:?}")).collect();
    ExportError {
        layer: layer.name.clone(),
        message: format!(
            "expected a perceptron (weight [out, in], then bias [out]), found {}",
            if found.is_empty() { "no tensors".to_owned() } else { found.join(", ") }
        ),
    }
}

/// Values as Rust literals that read back to the same bits.
fn literals<T: Element>(values: &[T]) -> String {
    let element = T::NAME;
    let literal = |v: &T| {
        let x = v.to_f64();
        if x.is_nan() {
            format!("{element}::NAN")
        } else if x.is_infinite() {
            format!("{element}::{}INFINITY", if x < 0.0 { "NEG_" } else { "" })
        } else {
            // `{:?}` prints the shortest decimal that parses back to the same value, and
            // always with a `.` or an exponent, so it is a float literal.
            format!("{v:?}")
        }
    };
    values.iter().map(literal).collect::<Vec<_>>().join(", ")
}
