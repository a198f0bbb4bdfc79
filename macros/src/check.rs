//! The checks that need the whole description: names, what each node reads, every width
//! where nodes meet, the output and its loss, nodes that reach no output. Each mistake is
//! reported at its token and repaired, as in `parse`, so the expansion raises nothing more.

use crate::ast::{ActivationKind, Errors, LossKind, Network, NodeKind, Width};
use proc_macro2::TokenTree;
use quote::quote;
use syn::Ident;

/// The generic parameters of the generated methods. A width constant or a generic width
/// with one of these names would be captured by the generic inside those methods.
pub const METHOD_GENERICS: [&str; 8] = ["B", "X", "XN", "L", "LB", "LN", "R", "Opt"];

/// Checks `net`, repairing it, and resolves what each node reads and its width.
pub fn check(net: &mut Network, errors: &mut Errors) {
    check_generics(net, errors);
    check_softmax(net, errors);
    check_names(net, errors);
    // Reach is judged on what the description says each node reads, before the repairs
    // of `resolve_sources` and `derive_widths` cut any edge; when a read names no earlier
    // node, what reaches the output is unsure, and the mistake already reported is enough.
    let written = written_edges(net);
    let reported = errors.count();
    resolve_sources(net, errors);
    if errors.count() == reported && !net.unsure_reads {
        check_reach(net, &written, errors);
    }
    check_inputs(net, errors);
    derive_widths(net, errors);
    check_output(net, errors);
    for node in &net.nodes {
        check_not_a_method_generic(&node.width, errors);
        if let NodeKind::Perceptron { stated_input: Some(stated), .. } = &node.kind {
            check_not_a_method_generic(stated, errors);
        }
    }
    check_loss(net, errors);
}

/// Every width written in the description, stated input widths included.
fn widths_mut(net: &mut Network) -> impl Iterator<Item = &mut Width> {
    net.nodes.iter_mut().flat_map(|node| {
        let stated = match &mut node.kind {
            NodeKind::Perceptron { stated_input: Some(stated), .. } => Some(stated),
            _ => None,
        };
        stated.into_iter().chain([&mut node.width])
    })
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
            Some((Ident::new(&format!("{name}_{i}"), generic.span()), false))
        } else if METHOD_GENERICS.contains(&name.as_str()) {
            errors.push(
                generic.span(),
                format!(
                    "a generic width cannot be called `{name}`: the generated methods use `{name}` for a generic parameter of their own; rename it (say `{name}_WIDTH`)"
                ),
            );
            Some((Ident::new(&format!("{name}_WIDTH"), generic.span()), true))
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
                        *g = Ident::new(&renamed.to_string(), g.span());
                    }
                }
            }
            net.generics[i] = renamed;
        }
    }
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

/// Node names are unique (each becomes a field or a local of the generated code).
fn check_names(net: &mut Network, errors: &mut Errors) {
    let mut seen: Vec<String> = Vec::new();
    for i in 0..net.nodes.len() {
        let node = &mut net.nodes[i];
        let name = node.name.to_string();
        if seen.contains(&name) {
            errors.push(
                node.name.span(),
                format!("two nodes are named `{name}`: each needs its own name (a layer's becomes a field of the network)"),
            );
            node.name = Ident::new(&format!("{name}_{i}"), node.name.span());
        }
        seen.push(name);
    }
}

/// What each node reads: the nodes it names, written before it, or the node written just
/// before it when it names none.
fn resolve_sources(net: &mut Network, errors: &mut Errors) {
    let names: Vec<String> = net.nodes.iter().map(|n| n.name.to_string()).collect();
    for i in 0..net.nodes.len() {
        let node = &net.nodes[i];
        if node.is_input() {
            continue;
        }
        let mut reads = Vec::new();
        if node.sources.is_empty() {
            reads.push(before(net, i));
        }
        for source in &node.sources {
            let name = source.to_string();
            match names.iter().position(|n| *n == name) {
                Some(j) if j < i => reads.push(j),
                Some(j) if j == i => {
                    errors.push(
                        source.span(),
                        format!("`{name}` reads itself: a node reads nodes written before it"),
                    );
                    reads.push(before(net, i));
                }
                Some(j) => {
                    let cycle = reads_transitively(net, j, i);
                    let message = if cycle {
                        format!(
                            "`{}` and `{name}` read each other (a cycle, which has no order to compute it in): a node reads nodes written before it",
                            node.name
                        )
                    } else {
                        format!(
                            "`{}` reads `{name}`, which is written after it: write `{name}` first, a node reads nodes written before it",
                            node.name
                        )
                    };
                    errors.push(source.span(), message);
                    reads.push(before(net, i));
                }
                None => {
                    let mut message = format!(
                        "`{}` reads `{name}`, and there is no node of that name",
                        node.name
                    );
                    if let Some(close) = closest(&name, &names[..i]) {
                        message.push_str(&format!("\nhelp: did you mean `{close}`?"));
                    }
                    errors.push(source.span(), message);
                    reads.push(before(net, i));
                }
            }
        }
        net.nodes[i].reads = reads;
    }
}

/// What a node that names nothing reads: the node written just before it, or, for a layer
/// written before every input (reported in `parse`), the first input.
fn before(net: &Network, i: usize) -> usize {
    match i {
        0 => net.nodes.iter().position(|n| n.is_input()).unwrap_or(0),
        _ => i - 1,
    }
}

/// What each node reads as written: the nodes it names, wherever they are written, or the
/// node before it when it names none.
fn written_edges(net: &Network) -> Vec<Vec<usize>> {
    net.nodes
        .iter()
        .enumerate()
        .map(|(i, node)| {
            if node.is_input() {
                Vec::new()
            } else if node.sources.is_empty() {
                vec![before(net, i)]
            } else {
                node.sources
                    .iter()
                    .filter_map(|source| net.nodes.iter().position(|n| n.name == *source))
                    .collect()
            }
        })
        .collect()
}

/// Whether node `from` reads node `to`, directly or through others, by the names written
/// (used only to word the message of a node that reads a later one).
fn reads_transitively(net: &Network, from: usize, to: usize) -> bool {
    let mut stack = vec![from];
    let mut seen = vec![false; net.nodes.len()];
    while let Some(n) = stack.pop() {
        if n == to {
            return true;
        }
        if std::mem::replace(&mut seen[n], true) {
            continue;
        }
        let node = &net.nodes[n];
        if node.sources.is_empty() && !node.is_input() && n > 0 {
            stack.push(n - 1);
        }
        for source in &node.sources {
            if let Some(j) = net.nodes.iter().position(|m| m.name == *source) {
                stack.push(j);
            }
        }
    }
    false
}

/// The name nearest to a misspelt one, if one is near.
fn closest(written: &str, names: &[String]) -> Option<String> {
    names
        .iter()
        .map(|name| (crate::parse::edit_distance(written, name), name))
        .filter(|(distance, _)| *distance <= 2)
        .min()
        .map(|(_, name)| name.clone())
}

/// Each node's width from what it reads, and every width checked where nodes meet.
fn derive_widths(net: &mut Network, errors: &mut Errors) {
    for i in 0..net.nodes.len() {
        let reads = net.nodes[i].reads.clone();
        let span = net.nodes[i].kind_span;
        let name = net.nodes[i].name.to_string();
        let read_width = |j: usize| net.nodes[j].width.clone();
        let width = match &net.nodes[i].kind {
            NodeKind::Input | NodeKind::Perceptron { .. } => None,
            NodeKind::Dropout { .. } => Some(read_width(reads[0]).at(span)),
            // A part whose width is unknown (its mistake reported): the sum joins nothing,
            // as a concatenation below, so no width fails again where it is used.
            NodeKind::Sum if reads.iter().any(|&j| net.nodes[j].width.is_repaired()) => {
                net.nodes[i].reads.clear();
                Some(Width::Repaired { span })
            }
            NodeKind::Sum => {
                let first = read_width(reads[0]);
                let mut repaired = reads.clone();
                for (k, &j) in reads.iter().enumerate().skip(1) {
                    if first.same_as(&net.nodes[j].width) == Some(false) {
                        // Repaired as a sum of the first part again, so nothing else fails.
                        repaired[k] = reads[0];
                        let (a, b) = (&net.nodes[reads[0]], &net.nodes[j]);
                        errors.push(
                            net.nodes[i].sources[k].span(),
                            format!(
                                "`{name}` adds `{}` ({} wide) and `{}` ({} wide): a sum adds nodes of one width; to join them side by side, write `Concat({}, {})`",
                                a.name,
                                quoted(&a.width),
                                b.name,
                                quoted(&b.width),
                                a.name,
                                b.name,
                            ),
                        );
                    }
                }
                net.nodes[i].reads = repaired;
                Some(first.at(span))
            }
            NodeKind::Concat => {
                let width = concat_width(net, i, errors);
                if width.is_repaired() {
                    // A concatenation whose width is unknown joins nothing: its parts'
                    // widths are not used where they could fail again.
                    net.nodes[i].reads.clear();
                }
                Some(width)
            }
        };
        if let Some(width) = width {
            net.nodes[i].width = width;
        }
        // A perceptron's stated input width, against what it reads.
        let read =
            reads.first().map(|&j| (net.nodes[j].name.to_string(), net.nodes[j].width.clone()));
        let node = &mut net.nodes[i];
        let NodeKind::Perceptron { stated_input, activation, .. } = &mut node.kind else {
            continue;
        };
        let (Some(stated), Some((read_name, read_width))) = (stated_input.take(), read) else {
            continue;
        };
        match stated.same_as(&read_width) {
            Some(true) => {}
            Some(false) => {
                let (width, activation) = (node.width.describe(), activation.type_name());
                errors.push(
                    stated.span(),
                    format!(
                        "layer `{name}` reads {} inputs, but `{read_name}` gives {}: write `Perceptron<{} -> {width}, {activation}>`, or leave the input width out (`Perceptron<{width}, {activation}>`)",
                        quoted(&stated),
                        quoted(&read_width),
                        read_width.describe(),
                    ),
                );
            }
            // Constants are compared by the compiler: the plan asserts it at the stated one.
            None => *stated_input = Some(stated),
        }
    }
}

/// A concatenation's width: the sum of what it reads, as a literal when they all are, as
/// a constant expression of their widths otherwise. Generic widths cannot be added in a
/// type (Rust cannot compute a dimension from generics yet): that is reported.
fn concat_width(net: &Network, i: usize, errors: &mut Errors) -> Width {
    let node = &net.nodes[i];
    let widths: Vec<&Width> = node.reads.iter().map(|&j| &net.nodes[j].width).collect();
    if widths.iter().any(|w| w.is_repaired()) {
        return Width::Repaired { span: node.kind_span };
    }
    if let Some(values) = widths.iter().map(|w| w.literal()).collect::<Option<Vec<u64>>>() {
        return Width::Literal { value: values.iter().sum(), span: node.kind_span };
    }
    if let Some((k, generic)) =
        node.reads.iter().enumerate().find(|(_, j)| net.nodes[**j].width.is_generic())
    {
        let source = &net.nodes[*generic];
        errors.push(
            node.sources.get(k).map_or(node.kind_span, Ident::span),
            format!(
                "`{}` joins `{}`, whose width is the generic `{}`: a concatenation's width is the sum of its parts', and Rust cannot yet compute a type's dimension from a generic; make the parts' widths constants or literals",
                node.name,
                source.name,
                source.width.describe(),
            ),
        );
        return Width::Repaired { span: node.kind_span };
    }
    let parts = widths.iter().map(|w| w.tokens(&net.name));
    let text = widths.iter().map(|w| w.describe()).collect::<Vec<_>>().join(" + ");
    Width::Const {
        tokens: quote!(#(#parts)+*),
        span: node.kind_span,
        slot: format!("{}_width", node.name),
        text: Some(text),
    }
}

/// Several inputs are the network's input columns side by side: their widths must add up
/// to a type's dimension, so none can be generic.
fn check_inputs(net: &mut Network, errors: &mut Errors) {
    if net.inputs().count() < 2 {
        return;
    }
    let network = net.name.clone();
    for node in net.nodes.iter_mut().filter(|n| n.is_input()) {
        if let Width::Generic(generic) = &node.width {
            errors.push(
                generic.span(),
                format!(
                    "input `{}` is `{generic}` wide, a generic: several inputs are `{network}`'s input columns side by side, whose number is the sum of their widths, and Rust cannot yet compute a type's dimension from a generic; make the inputs' widths constants or literals",
                    node.name
                ),
            );
            node.width = Width::Repaired { span: generic.span() };
        }
    }
}

/// Softmax is for the output alone (checked before duplicate names are repaired, so that
/// the message names the layer as written).
fn check_softmax(net: &mut Network, errors: &mut Errors) {
    let last = net.nodes.len() - 1;
    for (i, node) in net.nodes.iter_mut().enumerate() {
        if let NodeKind::Perceptron { activation, activation_span, .. } = &mut node.kind
            && *activation == ActivationKind::Softmax
            && i != last
        {
            errors.push(
                *activation_span,
                format!(
                    "softmax belongs on the output layer, but `{}` is a hidden layer: use `Sigmoid`, `Tanh`, `Relu` or `Identity` here",
                    node.name
                ),
            );
            *activation = ActivationKind::Sigmoid;
        }
    }
}

/// The output is the last node: a layer (or a sum, a concatenation), not a dropout.
fn check_output(net: &mut Network, errors: &mut Errors) {
    let last = net.nodes.len() - 1;
    let output = &mut net.nodes[last];
    if let NodeKind::Dropout { .. } = output.kind {
        errors.push(
            output.kind_span,
            format!(
                "`{}` is the output, the last node written, and a dropout cannot be: dropout goes between layers",
                output.name
            ),
        );
        // Repaired as a sum of the one node it reads, which passes it on in every pass.
        output.kind = NodeKind::Sum;
    }
}

/// Every node is read on the way to the output; an input is read by some node. Judged on
/// the edges as written, which may point forward (that mistake is reported on its own).
fn check_reach(net: &Network, written: &[Vec<usize>], errors: &mut Errors) {
    let last = net.nodes.len() - 1;
    let mut reaches = vec![false; net.nodes.len()];
    reaches[last] = true;
    let mut stack = vec![last];
    while let Some(i) = stack.pop() {
        for &j in &written[i] {
            if !std::mem::replace(&mut reaches[j], true) {
                stack.push(j);
            }
        }
    }
    let output = &net.nodes[last].name;
    for (node, reached) in net.nodes.iter().zip(&reaches) {
        if *reached {
            continue;
        }
        let message = if node.is_input() {
            format!(
                "input `{}` is read by no layer on the way to the output `{output}`: read it, or remove it",
                node.name
            )
        } else {
            format!(
                "`{}` is read by no node on the way to the output `{output}` (the last node written): read it, or remove it",
                node.name
            )
        };
        errors.push(node.name.span(), message);
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
fn check_loss(net: &mut Network, errors: &mut Errors) {
    let output = net.output().activation();
    net.loss = match net.stated_loss {
        // The output's kind is unknown when its line could not be read (it stands in with
        // a repaired width).
        Some((loss, _)) if net.unsure_reads && net.output().width.is_repaired() => loss,
        Some((loss, span)) => match loss.required_output() {
            Some(required) if required != output && !net.output().is_perceptron() => {
                let last = &net.output().name;
                errors.push(
                    span,
                    format!(
                        "{} needs a {} output, but the output `{last}` is not a layer and has no activation: end the network with a layer such as `Perceptron<…, {}>`, or state `#[loss({})]`",
                        loss.describe(),
                        required.describe(),
                        required.type_name(),
                        LossKind::default_for(output).type_name(),
                    ),
                );
                LossKind::default_for(output)
            }
            Some(required) if required != output => {
                let last = &net.output().name;
                errors.push(
                    span,
                    format!(
                        "{} needs a {} output, but the output `{last}` uses {}: give `{last}` the `{}` activation, or state `#[loss({})]`",
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
