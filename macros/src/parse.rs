//! Reading a `network!` description.
//!
//! The parser is lenient on purpose: a mistake is recorded (with the span of the token at
//! fault and a message that says what would be right) and repaired with a stand-in, and
//! parsing goes on. So one run reports every mistake, each once, and the expansion of the
//! repaired model keeps the rest of the user's crate free of follow-on errors.

use crate::ast::{ActivationKind, Errors, LossKind, Network, Node, NodeKind, Width};
use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};
use quote::ToTokens;
use syn::parse::{Parse, ParseStream, Parser};
use syn::{Attribute, Ident, Token, Visibility};

/// Parses a description. Returns `None` only when not even the header (`pub struct
/// Name<f32> { … }`) could be read; every mistake lands in `errors`. The whole-description
/// checks, and what each node reads, are `check`'s.
pub fn parse(input: TokenStream, errors: &mut Errors) -> Option<Network> {
    let header = match (|stream: ParseStream| parse_header(stream, errors)).parse2(input) {
        Ok(header) => header,
        Err(error) => {
            errors.push_error(error);
            return None;
        }
    };
    let Header { mut attrs, vis, name, element, generics, body, body_span } = header;
    let stated_loss = take_loss_attribute(&mut attrs, errors);

    let mut nodes: Vec<Node> = Vec::new();
    let mut unsure_reads = false;
    for field in split_fields(body) {
        let parsed =
            (|stream: ParseStream| parse_node(stream, &generics, errors)).parse2(field.clone());
        match parsed {
            Ok(node) => {
                if node.is_input() && nodes.iter().any(|n| !n.is_input()) {
                    errors.push(
                        node.name.span(),
                        format!("input `{}` comes after a layer: write the inputs first, the layers read from them", node.name),
                    );
                }
                nodes.push(node);
            }
            Err(error) => {
                // A line that could not be read still counts as a node of its name, of any
                // width, so its mistake is not followed by "has no input width" or "there is
                // no node of that name": an input if it reads as one, else a layer.
                if let Some((name, input)) = named_line(&field) {
                    let kind = if input {
                        NodeKind::Input
                    } else {
                        unsure_reads = true;
                        NodeKind::Perceptron {
                            stated_input: None,
                            activation: ActivationKind::Identity,
                            activation_span: name.span(),
                        }
                    };
                    nodes.push(Node {
                        attrs: Vec::new(),
                        kind_span: name.span(),
                        width: Width::Repaired { span: error.span() },
                        name,
                        kind,
                        sources: Vec::new(),
                        reads: Vec::new(),
                    });
                }
                errors.push_error(error);
            }
        }
    }

    // Repaired after "comes after a layer": each layer that names nothing reads, as
    // written, the node before it (or the first input), and then the inputs move first, so
    // the last node is a layer and nothing reads a node written after it.
    if nodes.iter().skip_while(|n| n.is_input()).any(Node::is_input) {
        let first_input = nodes.iter().find(|n| n.is_input()).map(|n| n.name.to_string());
        for i in 0..nodes.len() {
            if nodes[i].is_input() || !nodes[i].sources.is_empty() {
                continue;
            }
            let read = match i {
                0 => first_input.clone(),
                _ => Some(nodes[i - 1].name.to_string()),
            };
            if let Some(read) = read {
                let span = nodes[i].name.span();
                nodes[i].sources.push(Ident::new(&read, span));
            }
        }
        nodes.sort_by_key(|node| !node.is_input());
        unsure_reads = true;
    }
    if !nodes.iter().any(Node::is_input) {
        errors.push(
            body_span,
            format!("`{name}` has no input width: begin the description with `input: 2,` (the number of features per sample)"),
        );
        nodes.insert(
            0,
            Node {
                attrs: Vec::new(),
                name: Ident::new("input", body_span),
                kind: NodeKind::Input,
                sources: Vec::new(),
                reads: Vec::new(),
                width: Width::Repaired { span: body_span },
                kind_span: body_span,
            },
        );
    }
    if nodes.iter().all(Node::is_input) {
        errors.push(
            body_span,
            format!("`{name}` has no layers: add at least an output layer, e.g. `output: Perceptron<2, Softmax>,`"),
        );
        // A stand-in output layer keeps the expansion well-formed.
        nodes.push(Node {
            attrs: Vec::new(),
            name: Ident::new("output", body_span),
            kind: NodeKind::Perceptron {
                stated_input: None,
                activation: ActivationKind::Identity,
                activation_span: body_span,
            },
            sources: Vec::new(),
            reads: Vec::new(),
            width: Width::Repaired { span: body_span },
            kind_span: body_span,
        });
    }
    let loss = LossKind::default_for(nodes[nodes.len() - 1].activation());
    Some(Network { attrs, vis, name, element, generics, nodes, loss, stated_loss, unsure_reads })
}

struct Header {
    attrs: Vec<Attribute>,
    vis: Visibility,
    name: Ident,
    element: Ident,
    generics: Vec<Ident>,
    body: TokenStream,
    body_span: Span,
}

fn parse_header(stream: ParseStream, errors: &mut Errors) -> syn::Result<Header> {
    let attrs = stream.call(Attribute::parse_outer)?;
    let vis: Visibility = stream.parse()?;
    stream.parse::<Token![struct]>()?;
    let name: Ident = stream.parse()?;
    let mut generics = Vec::new();
    let element = if stream.peek(Token![<]) {
        stream.parse::<Token![<]>()?;
        let missing = stream.peek(Token![const]);
        let element = if missing {
            errors.push(
                name.span(),
                format!("`{name}` has no element type: write it before the widths, `{name}<f32, const …>`"),
            );
            Ident::new("f32", name.span())
        } else {
            parse_element(stream, &name, errors)?
        };
        // Then the generic widths, each after a comma (but the first, if the element type
        // is missing); a trailing comma is fine.
        let mut comma_first = !missing;
        while !stream.peek(Token![>]) {
            if comma_first {
                stream.parse::<Token![,]>()?;
                if stream.peek(Token![>]) {
                    break;
                }
            }
            generics.push(parse_generic(stream, errors)?);
            comma_first = true;
        }
        stream.parse::<Token![>]>()?;
        element
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
    Ok(Header { attrs, vis, name, element, generics, body: body.stream(), body_span: body.span() })
}

/// The element type, `f32` or `f64`.
fn parse_element(stream: ParseStream, name: &Ident, errors: &mut Errors) -> syn::Result<Ident> {
    let ty: syn::Type = stream.parse()?;
    Ok(match &ty {
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
    })
}

/// A const generic width, `const H: usize`.
fn parse_generic(stream: ParseStream, errors: &mut Errors) -> syn::Result<Ident> {
    if !stream.peek(Token![const]) {
        let found: TokenTree = stream.parse()?;
        return Err(syn::Error::new(
            found.span(),
            format!(
                "a network's generic parameters are widths, written `const {found}: usize`; its element type comes first and alone (`f32` or `f64`)"
            ),
        ));
    }
    stream.parse::<Token![const]>()?;
    let ident: Ident = stream.parse()?;
    stream.parse::<Token![:]>()?;
    let ty: syn::Type = stream.parse()?;
    if !matches!(&ty, syn::Type::Path(path) if path.path.is_ident("usize")) {
        errors.push(
            syn::spanned::Spanned::span(&ty),
            format!("a width is a `usize`: write `const {ident}: usize`"),
        );
    }
    if stream.peek(Token![=]) {
        let equals = stream.parse::<Token![=]>()?;
        let _default: TokenTree = stream.parse()?;
        errors.push(
            equals.span,
            format!(
                "a generic width has no default: write `const {ident}: usize` and give it where the network is used (`Name::<16>::random(..)`)"
            ),
        );
    }
    Ok(ident)
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

/// The name a line declares (`name: …`, after its attributes), and whether the node is an
/// input (`input: …` or `name: Input<…>`): what a line that could not be read still
/// declares.
fn named_line(field: &TokenStream) -> Option<(Ident, bool)> {
    let mut tokens = field.clone().into_iter().peekable();
    while let Some(TokenTree::Punct(p)) = tokens.peek() {
        if p.as_char() != '#' {
            break;
        }
        tokens.next();
        tokens.next();
    }
    let Some(TokenTree::Ident(name)) = tokens.next() else { return None };
    let Some(TokenTree::Punct(colon)) = tokens.next() else { return None };
    if colon.as_char() != ':' {
        return None;
    }
    let input = match tokens.next() {
        _ if name == "input" => true,
        Some(TokenTree::Ident(kind)) => kind == "Input",
        _ => false,
    };
    Some((name, input))
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

/// The kinds of node, for messages.
const KINDS: &str = "`Input<width>`, `Perceptron<width, Activation>`, `Sum(a, b)`, `Concat(a, b)` and `Dropout<rate>`";

fn parse_node(stream: ParseStream, generics: &[Ident], errors: &mut Errors) -> syn::Result<Node> {
    let attrs = stream.call(Attribute::parse_outer)?;
    let name: Ident = stream.parse()?;
    stream.parse::<Token![:]>()?;
    let slot = |what: &str| format!("{name}_{what}");
    let node = |kind, width, sources, kind_span| Node {
        attrs: Vec::new(),
        name: name.clone(),
        kind,
        sources,
        reads: Vec::new(),
        width,
        kind_span,
    };

    // `input: 2`, the single input's shorthand: a width where a kind would be.
    let known_kind = stream
        .fork()
        .parse::<Ident>()
        .is_ok_and(|i| ["Input", "Perceptron", "Sum", "Concat", "Dropout"].iter().any(|k| i == k));
    let is_kind = known_kind
        || (stream.peek(Ident) && (stream.peek2(Token![<]) || stream.peek2(syn::token::Paren)));
    if !is_kind {
        if name != "input" {
            errors.push(
                name.span(),
                format!("`{name}` is given a width alone: write `{name}: Input<…>` for an input (only the input called `input` can be written `input: 2`), or `{name}: Perceptron<…, Activation>` for a layer"),
            );
        }
        let width = parse_width(stream, generics, errors, "the input width", &slot("width"))?;
        if !stream.is_empty() {
            return Err(stream.error("expected `,` after the input width"));
        }
        let span = name.span();
        return Ok(Node { attrs, ..node(NodeKind::Input, width, Vec::new(), span) });
    }

    let kind: Ident = stream.parse()?;
    let parsed = if kind == "Input" {
        stream.parse::<Token![<]>()?;
        let width = parse_width(stream, generics, errors, "an input width", &slot("width"))?;
        stream.parse::<Token![>]>()?;
        node(NodeKind::Input, width, Vec::new(), kind.span())
    } else if kind == "Sum" || kind == "Concat" {
        let sources = parse_sources(stream, &name, &kind, errors)?;
        let node_kind = if kind == "Sum" { NodeKind::Sum } else { NodeKind::Concat };
        node(node_kind, Width::Repaired { span: kind.span() }, sources, kind.span())
    } else if kind == "Dropout" {
        let rate = parse_rate(stream, &name, errors)?;
        let sources = parse_one_source(stream, &name, &kind, errors)?;
        node(
            NodeKind::Dropout { rate },
            Width::Repaired { span: kind.span() },
            sources,
            kind.span(),
        )
    } else {
        if kind != "Perceptron" {
            errors.push(
                kind.span(),
                format!("unknown layer kind `{kind}`: ferroflow's nodes are {KINDS}"),
            );
        }
        let (node_kind, width) = parse_perceptron(stream, &name, generics, errors)?;
        let sources = parse_one_source(stream, &name, &kind, errors)?;
        node(node_kind, width, sources, kind.span())
    };
    if !stream.is_empty() {
        return Err(stream.error("expected `,` after the layer"));
    }
    Ok(Node { attrs, ..parsed })
}

/// `(a, b, …)`: the nodes a sum or a concatenation reads.
fn parse_sources(
    stream: ParseStream,
    name: &Ident,
    kind: &Ident,
    errors: &mut Errors,
) -> syn::Result<Vec<Ident>> {
    if !stream.peek(syn::token::Paren) {
        errors.push(
            kind.span(),
            format!("`{name}` reads nothing: write the nodes it combines, `{kind}(a, b)`"),
        );
        return Ok(Vec::new());
    }
    let content;
    syn::parenthesized!(content in stream);
    let sources = content.parse_terminated(Ident::parse, Token![,]).map_err(|error| {
        syn::Error::new(
            error.span(),
            format!("`{kind}` reads the nodes named between its parentheses, separated by commas: `{kind}(a, b)`"),
        )
    })?;
    let sources: Vec<Ident> = sources.into_iter().collect();
    if sources.len() < 2 {
        errors.push(
            kind.span(),
            format!("`{kind}` combines at least two nodes: write `{kind}(a, b)` (a layer that reads one node reads it as `Perceptron<…>(a)`)"),
        );
    }
    Ok(sources)
}

/// `(a)` after a layer that reads one node, or nothing: it reads the node written before.
fn parse_one_source(
    stream: ParseStream,
    name: &Ident,
    kind: &Ident,
    errors: &mut Errors,
) -> syn::Result<Vec<Ident>> {
    if !stream.peek(syn::token::Paren) {
        return Ok(Vec::new());
    }
    let content;
    let parens = syn::parenthesized!(content in stream);
    let sources = content.parse_terminated(Ident::parse, Token![,]).map_err(|error| {
        syn::Error::new(
            error.span(),
            format!("`{kind}` reads the nodes named between its parentheses, separated by commas: `{kind}(a, b)`"),
        )
    })?;
    let sources: Vec<Ident> = sources.into_iter().collect();
    if sources.len() != 1 {
        errors.push(
            parens.span.join(),
            format!("`{name}` reads one node: write `{kind}<…>(a)`; to combine several, read a `Sum(a, b)` or a `Concat(a, b)`"),
        );
    }
    Ok(sources.into_iter().take(1).collect())
}

/// `<0.5>`: a dropout's rate, in `[0, 1)`.
fn parse_rate(stream: ParseStream, name: &Ident, errors: &mut Errors) -> syn::Result<f64> {
    stream.parse::<Token![<]>()?;
    // A literal, which the macro checks: the rate goes into a `const` constructor, and a
    // mistake is best caught here, at the token.
    let literal: syn::Lit = stream.parse().map_err(|error| {
        syn::Error::new(
            error.span(),
            format!("the dropout rate of `{name}` is written as a number, such as `Dropout<0.5>`: the macro checks it is from 0 up to 1, which it cannot do for a constant"),
        )
    })?;
    stream.parse::<Token![>]>()?;
    let rate = match &literal {
        syn::Lit::Float(f) => f.base10_parse::<f64>().ok(),
        syn::Lit::Int(i) => i.base10_parse::<u64>().ok().map(|v| v as f64),
        _ => None,
    };
    match rate {
        Some(rate) if (0.0..1.0).contains(&rate) => Ok(rate),
        _ => {
            errors.push(
                literal.span(),
                format!("the dropout rate of `{name}` is the share of units dropped in training: a number from 0 up to 1 (not 1), such as `Dropout<0.5>`"),
            );
            Ok(0.5)
        }
    }
}

/// `<[inputs ->] width, Activation>` of a perceptron.
fn parse_perceptron(
    stream: ParseStream,
    name: &Ident,
    generics: &[Ident],
    errors: &mut Errors,
) -> syn::Result<(NodeKind, Width)> {
    let open = stream.parse::<Token![<]>()?;
    let slot = |what: &str| format!("{name}_{what}");

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
            let kind = NodeKind::Perceptron {
                stated_input: None,
                activation,
                activation_span: ident.span(),
            };
            return Ok((kind, Width::Repaired { span: ident.span() }));
        }
    }

    let first = parse_width(stream, generics, errors, "a layer width", &slot("width"))?;
    let (stated_input, mut width) = if stream.peek(Token![->]) {
        stream.parse::<Token![->]>()?;
        let first = match first {
            Width::Const { tokens, span, .. } => {
                Width::Const { tokens, span, slot: slot("stated_input"), text: None }
            }
            other => other,
        };
        (Some(first), parse_width(stream, generics, errors, "a layer width", &slot("width"))?)
    } else {
        (None, first)
    };
    // `Perceptron<2, 16, Sigmoid>`: both widths, as dfdx's `Linear<2, 16>` has them.
    let mut both_widths = None;
    let (activation, activation_span) = if stream.peek(Token![,]) {
        stream.parse::<Token![,]>()?;
        if stated_input.is_none() && second_width_follows(stream) {
            let second = parse_width(stream, generics, errors, "a layer width", &slot("width"))?;
            both_widths = Some(std::mem::replace(&mut width, second));
            stream.parse::<Token![,]>()?;
        }
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
    if let Some(inputs) = both_widths {
        let (units, activation) = (width.describe(), activation.type_name());
        errors.push(
            inputs.span(),
            format!(
                "`Perceptron` takes one width, its number of units, and reads its input width from the node it reads: write `Perceptron<{units}, {activation}>`, or `Perceptron<{} -> {units}, {activation}>` to state both",
                inputs.describe(),
            ),
        );
    }
    if stream.peek(Token![,]) {
        stream.parse::<Token![,]>()?;
    }
    stream.parse::<Token![>]>()?;
    Ok((NodeKind::Perceptron { stated_input, activation, activation_span }, width))
}

/// After `Perceptron<2,`: whether what follows is a second width (a literal, a block, or a
/// constant followed by another argument) rather than the activation.
fn second_width_follows(stream: ParseStream) -> bool {
    if stream.peek(syn::Lit) || stream.peek(Token![-]) || stream.peek(syn::token::Brace) {
        return true;
    }
    let ahead = stream.fork();
    ahead.parse::<syn::Path>().is_ok() && ahead.peek(Token![,]) && !ahead.peek2(Token![>])
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

pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
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

/// A width: an integer literal, a const generic of the network, a constant's path, or a
/// `{ const expression }`. A wrong one is reported and repaired.
fn parse_width(
    stream: ParseStream,
    generics: &[Ident],
    errors: &mut Errors,
    what: &str,
    slot: &str,
) -> syn::Result<Width> {
    let negative = |span: Span, errors: &mut Errors| {
        errors.push(span, format!("{what} cannot be negative: a width counts units, at least 1"));
        Width::Repaired { span }
    };
    if stream.peek(Token![-]) {
        let minus = stream.parse::<Token![-]>()?;
        // Whatever follows the sign is part of the same mistake.
        if !stream.peek(Token![,]) && !stream.peek(Token![>]) && !stream.is_empty() {
            let _: TokenTree = stream.parse()?;
        }
        return Ok(negative(minus.span, errors));
    }
    if stream.peek(syn::Lit) {
        let literal: syn::Lit = stream.parse()?;
        let span = literal.span();
        let text = literal.to_token_stream().to_string();
        if text.starts_with('-') {
            // A negative literal in one token, as a `macro_rules!` may pass it on.
            return Ok(negative(span, errors));
        }
        if let syn::Lit::Int(int) = &literal
            && matches!(int.suffix(), "" | "usize")
        {
            let value: u64 = int.base10_parse()?;
            if value == 0 {
                errors.push(
                    span,
                    format!("{what} cannot be 0: a width counts units (or features), at least 1"),
                );
                return Ok(Width::Repaired { span });
            }
            return Ok(Width::Literal { value, span });
        }
        errors.push(
            span,
            format!(
                "{what} must be an integer literal (`16`) or a constant (`HIDDEN`), not `{text}`"
            ),
        );
        return Ok(Width::Repaired { span });
    }
    if stream.peek(syn::token::Brace) {
        let block: proc_macro2::Group = stream.parse()?;
        // `{ H }`: the generic itself, in braces.
        let mut inside = block.stream().into_iter();
        if let (Some(TokenTree::Ident(ident)), None) = (inside.next(), inside.next())
            && generics.contains(&ident)
        {
            return Ok(Width::Generic(ident));
        }
        let text = format!("{{ {} }}", block.stream());
        let width = Width::Const {
            tokens: block.stream(),
            span: block.span(),
            slot: slot.to_owned(),
            text: None,
        };
        return Ok(no_generic_inside(width, &text, generics, errors));
    }
    if stream.peek(Ident)
        || stream.peek(Token![::])
        || stream.peek(Token![crate])
        || stream.peek(Token![self])
        || stream.peek(Token![super])
    {
        let path: syn::Path = stream.parse()?;
        if let Some(ident) = path.get_ident()
            && let Some(generic) = generics.iter().find(|g| *g == ident)
        {
            // The use's own span, so messages point at it; the name is the generic's.
            return Ok(Width::Generic(Ident::new(&generic.to_string(), ident.span())));
        }
        let span = path.segments.last().map_or_else(Span::call_site, |s| s.ident.span());
        let tokens = path.to_token_stream();
        let text = tokens.to_string();
        let width = Width::Const { tokens, span, slot: slot.to_owned(), text: None };
        return Ok(no_generic_inside(width, &text, generics, errors));
    }
    Err(stream
        .error(format!("expected {what}: an integer literal (`16`) or a constant (`HIDDEN`)")))
}

/// A constant expression that mentions one of the network's generic widths is reported:
/// Rust cannot compute a type's dimension from a generic parameter (that needs the
/// unstable `generic_const_exprs`), so only the generic itself can be a width.
fn no_generic_inside(width: Width, text: &str, generics: &[Ident], errors: &mut Errors) -> Width {
    let Width::Const { tokens, span, .. } = &width else { return width };
    match find_ident(tokens, generics) {
        Some(generic) => {
            errors.push(
                *span,
                format!(
                    "a width can be the generic `{generic}` itself, not something computed from it (`{text}`): Rust cannot yet compute a type's dimension from a generic parameter; add a generic for this width (`const {generic}2: usize`)"
                ),
            );
            Width::Repaired { span: *span }
        }
        None => width,
    }
}

/// The first of `names` that occurs in `tokens`, at any depth.
fn find_ident(tokens: &TokenStream, names: &[Ident]) -> Option<Ident> {
    tokens.clone().into_iter().find_map(|token| match token {
        TokenTree::Ident(ident) => names.iter().find(|name| **name == ident).cloned(),
        TokenTree::Group(group) => find_ident(&group.stream(), names),
        _ => None,
    })
}
