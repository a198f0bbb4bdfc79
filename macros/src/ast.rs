//! Parsing and validation of a `network!` description.
//!
//! The parser is lenient on purpose: a mistake is recorded (with the span of the token at
//! fault and a message that says what would be right) and repaired with a stand-in, and
//! parsing goes on. So one run reports every mistake, and the expansion of the repaired
//! model keeps the rest of the user's crate free of follow-on errors.

use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};
use quote::{ToTokens, quote};
use syn::parse::{ParseStream, Parser};
use syn::{Attribute, Ident, Token, Visibility};

/// Every mistake found in one description.
#[derive(Default)]
pub struct Errors(Vec<syn::Error>);

impl Errors {
    pub fn push(&mut self, span: Span, message: impl std::fmt::Display) {
        self.0.push(syn::Error::new(span, message));
    }

    fn push_error(&mut self, error: syn::Error) {
        self.0.push(error);
    }

    pub fn to_compile_errors(&self) -> TokenStream {
        self.0.iter().map(syn::Error::to_compile_error).collect()
    }
}

/// A parsed network description.
pub struct Network {
    pub attrs: Vec<Attribute>,
    pub vis: Visibility,
    pub name: Ident,
    pub element: Ident,
    pub input: Width,
    pub layers: Vec<Layer>,
    pub loss: LossKind,
}

/// One named layer.
pub struct Layer {
    pub attrs: Vec<Attribute>,
    pub name: Ident,
    /// The input width if the description states it (`Perceptron<16 -> 2, Softmax>`).
    pub stated_input: Option<Width>,
    pub width: Width,
    pub activation: ActivationKind,
    pub activation_span: Span,
}

/// A width: an integer literal the macro can check, or a constant expression it passes on.
#[derive(Clone)]
pub enum Width {
    Literal { value: u64, span: Span },
    Const(TokenStream),
}

impl Width {
    pub fn literal(&self) -> Option<u64> {
        match self {
            Width::Literal { value, .. } => Some(*value),
            Width::Const(_) => None,
        }
    }

    pub fn span(&self) -> Span {
        match self {
            Width::Literal { span, .. } => *span,
            Width::Const(tokens) => {
                tokens.clone().into_iter().next().map_or_else(Span::call_site, |t| t.span())
            }
        }
    }

    /// How the width reads in documentation.
    pub fn describe(&self) -> String {
        match self {
            Width::Literal { value, .. } => value.to_string(),
            Width::Const(tokens) => tokens.to_string(),
        }
    }
}

impl ToTokens for Width {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        match self {
            Width::Literal { value, span } => {
                let mut literal = proc_macro2::Literal::usize_unsuffixed(*value as usize);
                literal.set_span(*span);
                literal.to_tokens(tokens)
            }
            Width::Const(expr) => quote!({ #expr }).to_tokens(tokens),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ActivationKind {
    Sigmoid,
    Tanh,
    Relu,
    Identity,
    Softmax,
}

impl ActivationKind {
    const ALL: [(&'static str, ActivationKind); 5] = [
        ("Sigmoid", ActivationKind::Sigmoid),
        ("Tanh", ActivationKind::Tanh),
        ("Relu", ActivationKind::Relu),
        ("Identity", ActivationKind::Identity),
        ("Softmax", ActivationKind::Softmax),
    ];

    pub fn type_name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, kind)| *kind == self)
            .map(|(name, _)| *name)
            .unwrap_or("Identity")
    }

    pub fn describe(self) -> &'static str {
        match self {
            ActivationKind::Sigmoid => "sigmoid",
            ActivationKind::Tanh => "tanh",
            ActivationKind::Relu => "ReLU",
            ActivationKind::Identity => "identity",
            ActivationKind::Softmax => "softmax",
        }
    }

    fn from_ident(ident: &Ident) -> Option<Self> {
        let name = ident.to_string();
        Self::ALL.iter().find(|(n, _)| *n == name).map(|(_, kind)| *kind)
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum LossKind {
    CrossEntropy,
    BinaryCrossEntropy,
    MeanSquaredError,
}

impl LossKind {
    const ALL: [(&'static str, LossKind); 3] = [
        ("CrossEntropy", LossKind::CrossEntropy),
        ("BinaryCrossEntropy", LossKind::BinaryCrossEntropy),
        ("MeanSquaredError", LossKind::MeanSquaredError),
    ];

    pub fn type_name(self) -> &'static str {
        Self::ALL.iter().find(|(_, kind)| *kind == self).map(|(name, _)| *name).unwrap_or("")
    }

    pub fn describe(self) -> &'static str {
        match self {
            LossKind::CrossEntropy => "cross-entropy",
            LossKind::BinaryCrossEntropy => "binary cross-entropy",
            LossKind::MeanSquaredError => "mean squared error",
        }
    }

    /// The loss that follows from an output activation when none is stated.
    fn default_for(output: ActivationKind) -> Self {
        match output {
            ActivationKind::Softmax => LossKind::CrossEntropy,
            ActivationKind::Sigmoid => LossKind::BinaryCrossEntropy,
            _ => LossKind::MeanSquaredError,
        }
    }

    /// The output activation this loss needs, if it needs one.
    fn required_output(self) -> Option<ActivationKind> {
        match self {
            LossKind::CrossEntropy => Some(ActivationKind::Softmax),
            LossKind::BinaryCrossEntropy => Some(ActivationKind::Sigmoid),
            LossKind::MeanSquaredError => None,
        }
    }
}

/// Parses and validates a description. Returns `None` only when not even the header
/// (`pub struct Name<f32> { … }`) could be read; every mistake lands in `errors`.
pub fn parse(input: TokenStream, errors: &mut Errors) -> Option<Network> {
    let header = match (|stream: ParseStream| parse_header(stream, errors)).parse2(input) {
        Ok(header) => header,
        Err(error) => {
            errors.push_error(error);
            return None;
        }
    };
    let Header { mut attrs, vis, name, element, body, body_span } = header;
    let stated_loss = take_loss_attribute(&mut attrs, errors);

    let mut input: Option<Width> = None;
    let mut layers: Vec<Layer> = Vec::new();
    for field in split_fields(body) {
        let parsed = (|stream: ParseStream| parse_field(stream, errors)).parse2(field);
        match parsed {
            Ok(Field::Input { name, width }) => {
                if input.is_some() {
                    errors
                        .push(name.span(), "the input width is given twice: keep one `input: N,`");
                } else if !layers.is_empty() {
                    errors.push(
                        name.span(),
                        "`input` must come first: the layers after it read from it in order",
                    );
                }
                input.get_or_insert(width);
            }
            Ok(Field::Layer(layer)) => layers.push(layer),
            Err(error) => errors.push_error(error),
        }
    }

    let input = input.unwrap_or_else(|| {
        errors.push(
            body_span,
            format!("`{name}` has no input width: begin the description with `input: 2,` (the number of features per sample)"),
        );
        Width::Literal { value: 1, span: body_span }
    });
    if layers.is_empty() {
        errors.push(
            body_span,
            format!("`{name}` has no layers: add at least an output layer, e.g. `output: Perceptron<2, Softmax>,`"),
        );
        // A stand-in output layer keeps the expansion well-formed.
        layers.push(Layer {
            attrs: Vec::new(),
            name: Ident::new("output", body_span),
            stated_input: None,
            width: Width::Literal { value: 1, span: body_span },
            activation: ActivationKind::Identity,
            activation_span: body_span,
        });
    }

    validate_layers(&input, &mut layers, errors);
    for width in std::iter::once(&input)
        .chain(layers.iter().flat_map(|l| l.stated_input.iter().chain(std::iter::once(&l.width))))
    {
        check_not_a_generic_name(width, errors);
    }
    let output = layers.last().map_or(ActivationKind::Identity, |l| l.activation);
    let loss = match stated_loss {
        Some((loss, span)) => match loss.required_output() {
            Some(required) if required != output => {
                let last = &layers[layers.len() - 1].name;
                errors.push(
                    span,
                    format!(
                        "{} needs a {} output, but the output layer `{last}` uses {}: give `{last}` the `{}` activation, or state `#[loss({})]`",
                        loss.describe(),
                        required.describe(),
                        output.describe(),
                        required.type_name(),
                        LossKind::default_for(output).type_name(),
                    ),
                );
                LossKind::default_for(output)
            }
            _ => loss,
        },
        None => LossKind::default_for(output),
    };

    Some(Network { attrs, vis, name, element, input, layers, loss })
}

struct Header {
    attrs: Vec<Attribute>,
    vis: Visibility,
    name: Ident,
    element: Ident,
    body: TokenStream,
    body_span: Span,
}

fn parse_header(stream: ParseStream, errors: &mut Errors) -> syn::Result<Header> {
    let attrs = stream.call(Attribute::parse_outer)?;
    let vis: Visibility = stream.parse()?;
    stream.parse::<Token![struct]>()?;
    let name: Ident = stream.parse()?;
    let element = if stream.peek(Token![<]) {
        stream.parse::<Token![<]>()?;
        let ty: syn::Type = stream.parse()?;
        stream.parse::<Token![>]>()?;
        match &ty {
            syn::Type::Path(path) if path.path.is_ident("f32") || path.path.is_ident("f64") => {
                path.path.get_ident().cloned().unwrap_or_else(|| Ident::new("f32", name.span()))
            }
            other => {
                errors.push(
                    syn::spanned::Spanned::span(other),
                    format!(
                        "networks compute in `f32` or `f64`, not `{}`: write `{name}<f32>` or `{name}<f64>`",
                        other.to_token_stream()
                    ),
                );
                Ident::new("f32", syn::spanned::Spanned::span(other))
            }
        }
    } else {
        errors.push(
            name.span(),
            format!("`{name}` has no element type: write `{name}<f32>` or `{name}<f64>`"),
        );
        Ident::new("f32", name.span())
    };
    let body: proc_macro2::Group = stream.parse()?;
    if body.delimiter() != Delimiter::Brace {
        return Err(syn::Error::new(
            body.span(),
            "expected the layers in braces: `{ input: 2, … }`",
        ));
    }
    if !stream.is_empty() {
        return Err(stream.error("unexpected tokens after the network's closing brace"));
    }
    Ok(Header { attrs, vis, name, element, body: body.stream(), body_span: body.span() })
}

/// Removes `#[loss(…)]` from the attributes and reads it.
fn take_loss_attribute(
    attrs: &mut Vec<Attribute>,
    errors: &mut Errors,
) -> Option<(LossKind, Span)> {
    let mut stated = None;
    attrs.retain(|attr| {
        if !attr.path().is_ident("loss") {
            return true;
        }
        match attr.parse_args::<Ident>() {
            Ok(ident) => match LossKind::ALL.iter().find(|(name, _)| ident == name) {
                Some((_, kind)) => stated = Some((*kind, ident.span())),
                None => errors.push(
                    ident.span(),
                    format!(
                        "unknown loss `{ident}`: expected one of `CrossEntropy`, `BinaryCrossEntropy`, `MeanSquaredError`"
                    ),
                ),
            },
            Err(_) => errors.push(
                syn::spanned::Spanned::span(attr),
                "write the loss as `#[loss(CrossEntropy)]`, `#[loss(BinaryCrossEntropy)]` or `#[loss(MeanSquaredError)]`",
            ),
        }
        false
    });
    stated
}

enum Field {
    Input { name: Ident, width: Width },
    Layer(Layer),
}

/// Splits the body at commas that are not inside `<…>`, so that
/// `Perceptron<16, Sigmoid>` stays one field.
fn split_fields(body: TokenStream) -> Vec<TokenStream> {
    let mut fields = Vec::new();
    let mut current = Vec::new();
    let mut depth = 0usize;
    let mut after_joint_minus = false;
    for token in body {
        let mut is_joint_minus = false;
        if let TokenTree::Punct(punct) = &token {
            match punct.as_char() {
                ',' if depth == 0 => {
                    fields.push(current.drain(..).collect());
                    after_joint_minus = false;
                    continue;
                }
                '<' => depth += 1,
                // The `>` of `->` closes nothing.
                '>' if !after_joint_minus => depth = depth.saturating_sub(1),
                '-' => is_joint_minus = punct.spacing() == proc_macro2::Spacing::Joint,
                _ => {}
            }
        }
        after_joint_minus = is_joint_minus;
        current.push(token);
    }
    if !current.is_empty() {
        fields.push(current.into_iter().collect());
    }
    fields
}

fn parse_field(stream: ParseStream, errors: &mut Errors) -> syn::Result<Field> {
    let attrs = stream.call(Attribute::parse_outer)?;
    let name: Ident = stream.parse()?;
    stream.parse::<Token![:]>()?;
    if name == "input" {
        let width = parse_width(stream, errors, "the input width")?;
        if !stream.is_empty() {
            return Err(stream.error("expected `,` after the input width"));
        }
        return Ok(Field::Input { name, width });
    }

    let kind: Ident = stream.parse()?;
    if kind != "Perceptron" {
        errors.push(
            kind.span(),
            format!("unknown layer kind `{kind}`: ferroflow's layers are written `Perceptron<width, Activation>`"),
        );
    }
    let open = stream.parse::<Token![<]>()?;

    // `Perceptron<Sigmoid>`: an activation where the width belongs.
    if let Some(ident) =
        stream.fork().parse::<Ident>().ok().filter(|i| ActivationKind::from_ident(i).is_some())
    {
        let ahead = stream.fork();
        let _: Ident = ahead.parse()?;
        if ahead.peek(Token![>]) {
            errors.push(
                ident.span(),
                format!(
                    "layer `{name}` has no width: write the number of units before the activation, e.g. `Perceptron<16, {ident}>`"
                ),
            );
            stream.parse::<Ident>()?;
            stream.parse::<Token![>]>()?;
            let activation = ActivationKind::from_ident(&ident).unwrap_or(ActivationKind::Identity);
            let width = Width::Literal { value: 1, span: ident.span() };
            return Ok(Field::Layer(Layer {
                attrs,
                name,
                stated_input: None,
                width,
                activation,
                activation_span: ident.span(),
            }));
        }
    }

    let first = parse_width(stream, errors, "a layer width")?;
    let (stated_input, width) = if stream.peek(Token![->]) {
        stream.parse::<Token![->]>()?;
        (Some(first), parse_width(stream, errors, "a layer width")?)
    } else {
        (None, first)
    };
    let (activation, activation_span) = if stream.peek(Token![,]) {
        stream.parse::<Token![,]>()?;
        parse_activation(stream, errors)?
    } else {
        errors.push(
            open.span,
            format!(
                "layer `{name}` has no activation: write `Perceptron<{}, Sigmoid>` (or `Tanh`, `Relu`, `Identity`, `Softmax`)",
                width.describe()
            ),
        );
        (ActivationKind::Identity, open.span)
    };
    if stream.peek(Token![,]) {
        stream.parse::<Token![,]>()?;
    }
    stream.parse::<Token![>]>()?;
    if !stream.is_empty() {
        return Err(stream.error("expected `,` after the layer"));
    }
    Ok(Field::Layer(Layer { attrs, name, stated_input, width, activation, activation_span }))
}

fn parse_activation(
    stream: ParseStream,
    errors: &mut Errors,
) -> syn::Result<(ActivationKind, Span)> {
    let ident: Ident = stream.parse()?;
    if let Some(kind) = ActivationKind::from_ident(&ident) {
        return Ok((kind, ident.span()));
    }
    let mut message = format!(
        "unknown activation `{ident}`: expected one of `Sigmoid`, `Tanh`, `Relu`, `Identity`, `Softmax`"
    );
    if let Some(suggestion) = closest_activation(&ident.to_string()) {
        message.push_str(&format!("\nhelp: did you mean `{suggestion}`?"));
    }
    errors.push(ident.span(), message);
    Ok((ActivationKind::Identity, ident.span()))
}

/// The activation whose name is nearest to a misspelt one, if any is near.
fn closest_activation(written: &str) -> Option<&'static str> {
    let written = written.to_lowercase();
    ActivationKind::ALL
        .iter()
        .map(|(name, _)| (edit_distance(&written, &name.to_lowercase()), *name))
        .filter(|(distance, _)| *distance <= 2)
        .min()
        .map(|(_, name)| name)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

/// A width: an integer literal, a constant's path, or a `{ const expression }`.
fn parse_width(stream: ParseStream, errors: &mut Errors, what: &str) -> syn::Result<Width> {
    if stream.peek(syn::Lit) {
        let literal: syn::Lit = stream.parse()?;
        let span = literal.span();
        if let syn::Lit::Int(int) = &literal
            && matches!(int.suffix(), "" | "usize")
        {
            let value: u64 = int.base10_parse()?;
            if value == 0 {
                errors.push(
                    span,
                    format!("{what} cannot be 0: a width counts units (or features), at least 1"),
                );
                return Ok(Width::Literal { value: 1, span });
            }
            return Ok(Width::Literal { value, span });
        }
        errors.push(
            span,
            format!(
                "{what} must be an integer literal (`16`) or a constant (`HIDDEN`), not `{}`",
                literal.to_token_stream()
            ),
        );
        return Ok(Width::Literal { value: 1, span });
    }
    if stream.peek(Token![-]) {
        let minus = stream.parse::<Token![-]>()?;
        let _: syn::Lit = stream.parse()?;
        errors.push(
            minus.span,
            format!("{what} cannot be negative: a width counts units, at least 1"),
        );
        return Ok(Width::Literal { value: 1, span: minus.span });
    }
    if stream.peek(syn::token::Brace) {
        let block: proc_macro2::Group = stream.parse()?;
        return Ok(Width::Const(block.stream()));
    }
    if stream.peek(Ident)
        || stream.peek(Token![::])
        || stream.peek(Token![crate])
        || stream.peek(Token![self])
        || stream.peek(Token![super])
    {
        let path: syn::Path = stream.parse()?;
        return Ok(Width::Const(path.to_token_stream()));
    }
    Err(stream
        .error(format!("expected {what}: an integer literal (`16`) or a constant (`HIDDEN`)")))
}

/// The generic parameters of the generated methods. A width constant with one of these
/// names would be captured by the generic inside those methods.
const GENERIC_NAMES: [&str; 6] = ["B", "X", "L", "O", "R", "Opt"];

fn check_not_a_generic_name(width: &Width, errors: &mut Errors) {
    let Width::Const(tokens) = width else { return };
    let mut tokens = tokens.clone().into_iter();
    if let (Some(TokenTree::Ident(ident)), None) = (tokens.next(), tokens.next())
        && GENERIC_NAMES.iter().any(|name| ident == name)
    {
        errors.push(
            ident.span(),
            format!(
                "a width constant cannot be called `{ident}`: the generated methods use `{ident}` for a generic parameter; rename the constant (say `{ident}_WIDTH`)"
            ),
        );
    }
}

/// Checks what only the whole list of layers shows, repairing as it goes.
fn validate_layers(input: &Width, layers: &mut [Layer], errors: &mut Errors) {
    let count = layers.len();
    let mut seen: Vec<String> = Vec::new();
    for i in 0..count {
        let (before, rest) = layers.split_at_mut(i);
        let layer = &mut rest[0];

        let name = layer.name.to_string();
        if seen.contains(&name) {
            errors.push(
                layer.name.span(),
                format!("two layers are named `{name}`: each layer needs its own name (it becomes a field of the network)"),
            );
            layer.name = Ident::new(&format!("{name}_{i}"), layer.name.span());
        }
        seen.push(name.clone());

        if layer.activation == ActivationKind::Softmax && i + 1 < count {
            errors.push(
                layer.activation_span,
                format!(
                    "softmax belongs on the output layer, but `{name}` is a hidden layer: use `Sigmoid`, `Tanh`, `Relu` or `Identity` here"
                ),
            );
            layer.activation = ActivationKind::Sigmoid;
        }

        if let Some(stated) = layer.stated_input.take() {
            let (previous_width, previous_name) = match before.last() {
                Some(previous) => (&previous.width, format!("layer `{}`", previous.name)),
                None => (input, "the input".to_string()),
            };
            match (stated.literal(), previous_width.literal()) {
                (Some(stated_value), Some(previous_value)) if stated_value != previous_value => {
                    errors.push(
                        stated.span(),
                        format!(
                            "layer `{name}` reads {stated_value} inputs, but {previous_name} gives {previous_value}: write `Perceptron<{previous_value} -> {}, {}>`, or leave the input width out (`Perceptron<{}, {}>`)",
                            layer.width.describe(),
                            layer.activation.type_name(),
                            layer.width.describe(),
                            layer.activation.type_name(),
                        ),
                    );
                }
                (Some(_), Some(_)) => {}
                // Constants are compared by the compiler: keep the statement for expansion.
                _ => layer.stated_input = Some(stated),
            }
        }
    }
}
