//! What a `network!` description says, once read: the network and its nodes. `parse`
//! builds it (repairing mistakes), `check` validates what only the whole description shows
//! and resolves what each node reads, `plan` lays it out for `expand`.

use proc_macro2::{Literal, Span, TokenStream};
use quote::{format_ident, quote};
use syn::{Attribute, Ident, Visibility};

/// Every mistake found in one description.
#[derive(Default)]
pub struct Errors(Vec<syn::Error>);

impl Errors {
    pub fn push(&mut self, span: Span, message: impl std::fmt::Display) {
        self.0.push(syn::Error::new(span, message));
    }

    /// How many errors have been reported so far.
    pub fn count(&self) -> usize {
        self.0.len()
    }

    pub fn push_error(&mut self, error: syn::Error) {
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
    /// The const generic widths, `const H: usize`, in order.
    pub generics: Vec<Ident>,
    /// Every node, in the order written: inputs and layers. The last is the output.
    pub nodes: Vec<Node>,
    pub loss: LossKind,
    /// The stated `#[loss(…)]`, if any, and where.
    pub stated_loss: Option<(LossKind, Span)>,
    /// Whether what the nodes read is unsure, so that what reaches the output is not
    /// judged: a node's line could not be read (it stands in as a layer of any width), or
    /// inputs were written after layers (they were moved first).
    pub unsure_reads: bool,
}

impl Network {
    /// The output node: the last one written (a description without layers gets a
    /// stand-in, so there is one).
    pub fn output(&self) -> &Node {
        &self.nodes[self.nodes.len() - 1]
    }

    /// The nodes that are inputs, in order: the network's input columns, one block each.
    pub fn inputs(&self) -> impl Iterator<Item = &Node> {
        self.nodes.iter().filter(|n| n.is_input())
    }

    /// The node at `index`.
    pub fn node(&self, index: usize) -> &Node {
        &self.nodes[index]
    }
}

/// One node: an input or a layer, named (the name becomes a field of the network where the
/// node has parameters or state, and names the node in messages).
pub struct Node {
    pub attrs: Vec<Attribute>,
    pub name: Ident,
    pub kind: NodeKind,
    /// What the node reads, as written (`Sum(a, b)`, `Perceptron<4, Relu>(a)`); empty when
    /// it reads the node written before it. `check` resolves these into `reads`.
    pub sources: Vec<Ident>,
    /// The indices of the nodes it reads, in order, once resolved.
    pub reads: Vec<usize>,
    /// The node's output width, once known (`check` fills in sums, concatenations and
    /// dropout from what they read).
    pub width: Width,
    /// The span of the kind (`Perceptron`, `Sum`, …), for messages about the node as a
    /// whole.
    pub kind_span: Span,
}

impl Node {
    pub fn is_input(&self) -> bool {
        matches!(self.kind, NodeKind::Input)
    }

    pub fn is_perceptron(&self) -> bool {
        matches!(self.kind, NodeKind::Perceptron { .. })
    }

    /// The activation applied to the node's output: a perceptron's own, identity for
    /// every other node.
    pub fn activation(&self) -> ActivationKind {
        match &self.kind {
            NodeKind::Perceptron { activation, .. } => *activation,
            _ => ActivationKind::Identity,
        }
    }
}

/// What kind of node.
pub enum NodeKind {
    /// A block of the network's input columns, of the node's width.
    Input,
    /// A fully connected layer: `Perceptron<[inputs ->] width, Activation>`.
    Perceptron {
        /// The input width if the description states it.
        stated_input: Option<Width>,
        activation: ActivationKind,
        activation_span: Span,
    },
    /// The element-wise sum of nodes of one width: `Sum(a, b, …)`.
    Sum,
    /// The concatenation of nodes' columns: `Concat(a, b, …)`.
    Concat,
    /// Inverted dropout, active in training and the identity in inference:
    /// `Dropout<0.5>`.
    Dropout { rate: f64 },
}

/// A width as written, or as derived from what a node reads.
#[derive(Clone)]
pub enum Width {
    /// An integer literal, which the macro checks itself.
    Literal { value: u64, span: Span },
    /// One of the network's const generic parameters, `H`.
    Generic(Ident),
    /// A constant the compiler evaluates: a path (`HIDDEN`) or a block (`{ 2 * HIDDEN }`),
    /// or a concatenation's sum of constants. `tokens` is the expression; `span` covers
    /// what the user wrote; `slot` names the hidden constant that holds it, so that the
    /// expression is evaluated (and its mistakes reported) once. `text` is how messages
    /// name it when that is not `tokens` (a concatenation's sum, whose tokens name the
    /// parts' hidden constants): `HIDDEN + 3`.
    Const { tokens: TokenStream, span: Span, slot: String, text: Option<String> },
    /// A width that was wrong or missing and has been reported: the expansion uses 1, and
    /// the network's entry points accept any width where this one would be checked, so
    /// the mistake is the only error.
    Repaired { span: Span },
}

impl Width {
    pub fn literal(&self) -> Option<u64> {
        match self {
            Width::Literal { value, .. } => Some(*value),
            _ => None,
        }
    }

    pub fn is_repaired(&self) -> bool {
        matches!(self, Width::Repaired { .. })
    }

    pub fn is_generic(&self) -> bool {
        matches!(self, Width::Generic(_))
    }

    pub fn span(&self) -> Span {
        match self {
            Width::Literal { span, .. } | Width::Const { span, .. } | Width::Repaired { span } => {
                *span
            }
            Width::Generic(ident) => ident.span(),
        }
    }

    /// The same width, reported at `span` (a node that takes its width from another).
    pub fn at(&self, span: Span) -> Width {
        match self {
            Width::Literal { value, .. } => Width::Literal { value: *value, span },
            Width::Generic(ident) => Width::Generic(Ident::new(&ident.to_string(), span)),
            Width::Const { tokens, slot, text, .. } => Width::Const {
                tokens: tokens.clone(),
                span,
                slot: slot.clone(),
                text: text.clone(),
            },
            Width::Repaired { .. } => Width::Repaired { span },
        }
    }

    /// The width as the generated code writes it, with the span of what the user wrote. A
    /// constant is the hidden constant that holds it ([`hoisted`]), with every use carrying
    /// the expression's span: if its evaluation fails, rustc's "erroneous constant
    /// encountered" notes are then one note, not one per use.
    pub fn tokens(&self, network: &Ident) -> TokenStream {
        match self {
            Width::Literal { value, span } => {
                let mut literal = Literal::usize_unsuffixed(*value as usize);
                literal.set_span(*span);
                quote!(#literal)
            }
            Width::Generic(ident) => quote!(#ident),
            Width::Const { span, slot, .. } => {
                let mut ident = hoisted(network, slot);
                ident.set_span(*span);
                quote!(#ident)
            }
            Width::Repaired { span } => {
                let mut literal = Literal::usize_unsuffixed(1);
                literal.set_span(*span);
                quote!(#literal)
            }
        }
    }

    /// How the width reads in messages and documentation.
    pub fn describe(&self) -> String {
        match self {
            Width::Literal { value, .. } => value.to_string(),
            Width::Generic(ident) => ident.to_string(),
            Width::Const { text: Some(text), .. } => text.clone(),
            Width::Const { tokens, .. } => tokens.to_string(),
            Width::Repaired { .. } => "1".to_owned(),
        }
    }

    /// Whether two widths are certainly the same type-level value: the same literal, the
    /// same generic. `None` when only the compiler can tell (constants).
    pub fn same_as(&self, other: &Width) -> Option<bool> {
        match (self, other) {
            (Width::Repaired { .. }, _) | (_, Width::Repaired { .. }) => Some(true),
            (Width::Literal { value: a, .. }, Width::Literal { value: b, .. }) => Some(a == b),
            (Width::Generic(a), Width::Generic(b)) => Some(a == b),
            // A generic is never the same type-level value as anything else.
            (Width::Generic(_), _) | (_, Width::Generic(_)) => Some(false),
            (Width::Const { slot: a, .. }, Width::Const { slot: b, .. }) if a == b => Some(true),
            _ => None,
        }
    }
}

/// The name of the hidden constant of `network` that holds a width written as a constant
/// expression, `slot` saying which (`hidden_width`).
pub fn hoisted(network: &Ident, slot: &str) -> Ident {
    format_ident!("__{}_{}", network.to_string().to_uppercase(), slot.to_uppercase())
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
    pub const ALL: [(&'static str, ActivationKind); 5] = [
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

    pub fn from_ident(ident: &Ident) -> Option<Self> {
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
    pub const ALL: [(&'static str, LossKind); 3] = [
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
    pub fn default_for(output: ActivationKind) -> Self {
        match output {
            ActivationKind::Softmax => LossKind::CrossEntropy,
            ActivationKind::Sigmoid => LossKind::BinaryCrossEntropy,
            _ => LossKind::MeanSquaredError,
        }
    }

    /// The output activation this loss needs, if it needs one.
    pub fn required_output(self) -> Option<ActivationKind> {
        match self {
            LossKind::CrossEntropy => Some(ActivationKind::Softmax),
            LossKind::BinaryCrossEntropy => Some(ActivationKind::Sigmoid),
            LossKind::MeanSquaredError => None,
        }
    }
}
