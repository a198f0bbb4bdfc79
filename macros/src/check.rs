//! The checks that need the whole description: names, the output layer and its loss, and
//! every stated input width against the width before it. Each mistake is reported at its
//! token and repaired, as in `parse`.

use crate::ast::{ActivationKind, Errors, LossKind, Network, Width};
use proc_macro2::{Span, TokenTree};

/// The generic parameters of the generated methods. A width constant or a generic width
/// with one of these names would be captured by the generic inside those methods.
pub const METHOD_GENERICS: [&str; 8] = ["B", "X", "XN", "L", "LB", "LN", "R", "Opt"];

/// Checks `net`, repairing it; `stated_loss` is the `#[loss(…)]` attribute, if any.
pub fn check(net: &mut Network, stated_loss: Option<(LossKind, Span)>, errors: &mut Errors) {
    check_generics(net, errors);
    check_layers(net, errors);
    for width in std::iter::once(&net.input)
        .chain(net.layers.iter().flat_map(|l| l.stated_input.iter().chain([&l.width])))
    {
        check_not_a_method_generic(width, errors);
    }
    check_loss(net, stated_loss, errors);
}

fn check_generics(net: &mut Network, errors: &mut Errors) {
    let mut seen: Vec<String> = Vec::new();
    for i in 0..net.generics.len() {
        let generic = net.generics[i].clone();
        let name = generic.to_string();
        let used = widths_mut(net).any(|w| matches!(w, Width::Generic(g) if *g == generic));
        let renamed = if !used {
            errors.push(
                generic.span(),
                format!("the generic width `{name}` is the width of no layer: use it (`Perceptron<{name}, Relu>`) or remove it"),
            );
            None
        } else if seen.contains(&name) {
            errors.push(generic.span(), format!("the generic width `{name}` is declared twice"));
            // The first declaration keeps the uses.
            Some((syn::Ident::new(&format!("{name}_{i}"), generic.span()), false))
        } else if METHOD_GENERICS.contains(&name.as_str()) {
            errors.push(
                generic.span(),
                format!(
                    "a generic width cannot be called `{name}`: the generated methods use `{name}` for a generic parameter of their own; rename it (say `{name}_WIDTH`)"
                ),
            );
            Some((syn::Ident::new(&format!("{name}_WIDTH"), generic.span()), true))
        } else {
            None
        };
        seen.push(name);
        // Repaired under another name, so the expansion has no clash to report again.
        if let Some((renamed, with_uses)) = renamed {
            if with_uses {
                for width in widths_mut(net) {
                    if let Width::Generic(g) = width
                        && *g == generic
                    {
                        *g = syn::Ident::new(&renamed.to_string(), g.span());
                    }
                }
            }
            net.generics[i] = renamed;
        }
    }
}

/// Every width of the description, stated input widths included.
fn widths_mut(net: &mut Network) -> impl Iterator<Item = &mut Width> {
    std::iter::once(&mut net.input)
        .chain(net.layers.iter_mut().flat_map(|l| l.stated_input.iter_mut().chain([&mut l.width])))
}

fn check_not_a_method_generic(width: &Width, errors: &mut Errors) {
    let Width::Const { tokens, .. } = width else { return };
    let mut tokens = tokens.clone().into_iter();
    if let (Some(TokenTree::Ident(ident)), None) = (tokens.next(), tokens.next())
        && METHOD_GENERICS.iter().any(|name| ident == name)
    {
        errors.push(
            ident.span(),
            format!(
                "a width constant cannot be called `{ident}`: the generated methods use `{ident}` for a generic parameter; rename the constant (say `{ident}_WIDTH`)"
            ),
        );
    }
}

/// Layer names, softmax placement and stated input widths.
fn check_layers(net: &mut Network, errors: &mut Errors) {
    let count = net.layers.len();
    let mut seen: Vec<String> = Vec::new();
    for i in 0..count {
        let previous = net.input_of(i).clone();
        let previous_name = match i.checked_sub(1) {
            Some(before) => format!("layer `{}`", net.layers[before].name),
            None => "the input".to_owned(),
        };
        let layer = &mut net.layers[i];

        let name = layer.name.to_string();
        if seen.contains(&name) {
            errors.push(
                layer.name.span(),
                format!("two layers are named `{name}`: each layer needs its own name (it becomes a field of the network)"),
            );
            layer.name = syn::Ident::new(&format!("{name}_{i}"), layer.name.span());
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

        let Some(stated) = layer.stated_input.take() else { continue };
        let differs = match (&stated, &previous) {
            // Already reported where they were written.
            (Width::Repaired { .. }, _) | (_, Width::Repaired { .. }) => false,
            (Width::Literal { value: a, .. }, Width::Literal { value: b, .. }) => a != b,
            (Width::Generic(a), Width::Generic(b)) => a != b,
            // A generic is never the same type-level value as anything else.
            (Width::Generic(_), _) | (_, Width::Generic(_)) => true,
            // Constants are compared by the compiler: `expand` asserts it at the stated one.
            _ => {
                layer.stated_input = Some(stated);
                continue;
            }
        };
        if differs {
            errors.push(
                stated.span(),
                format!(
                    "layer `{name}` reads {} inputs, but {previous_name} gives {}: write `Perceptron<{} -> {}, {}>`, or leave the input width out (`Perceptron<{}, {}>`)",
                    quoted(&stated),
                    quoted(&previous),
                    previous.describe(),
                    layer.width.describe(),
                    layer.activation.type_name(),
                    layer.width.describe(),
                    layer.activation.type_name(),
                ),
            );
        }
    }
}

/// A width as a message names it: a number, or a constant's text in backticks.
pub fn quoted(width: &Width) -> String {
    match width {
        Width::Literal { value, .. } => value.to_string(),
        other => format!("`{}`", other.describe()),
    }
}

/// The loss follows from the output activation unless stated; a stated one must fit it.
fn check_loss(net: &mut Network, stated_loss: Option<(LossKind, Span)>, errors: &mut Errors) {
    let output = net.output().activation;
    net.loss = match stated_loss {
        Some((loss, span)) => match loss.required_output() {
            Some(required) if required != output => {
                let last = &net.output().name;
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
}
