//! What a `network!` description says, once read: the network, its layers and their
//! widths. `parse` builds it (repairing mistakes), `check` validates what only the whole
//! description shows, `expand` turns it into Rust.

use proc_macro2::{Span, TokenStream};
use syn::{Attribute, Ident, Visibility};

/// Every mistake found in one description.
#[derive(Default)]
pub struct Errors(Vec<syn::Error>);

impl Errors {
    pub fn push(&mut self, span: Span, message: impl std::fmt::Display) {
        self.0.push(syn::Error::new(span, message));
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
    pub input: Width,
    pub layers: Vec<Layer>,
    pub loss: LossKind,
}

impl Network {
    /// The output layer (a description without layers gets a stand-in, so there is one).
    pub fn output(&self) -> &Layer {
        &self.layers[self.layers.len() - 1]
    }

    /// The width a layer reads: the input's, or the width of the layer before.
    pub fn input_of(&self, layer: usize) -> &Width {
        match layer.checked_sub(1) {
            Some(before) => &self.layers[before].width,
            None => &self.input,
        }
    }
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

/// A width as written.
#[derive(Clone)]
pub enum Width {
    /// An integer literal, which the macro checks itself.
    Literal { value: u64, span: Span },
    /// One of the network's const generic parameters, `H`.
    Generic(Ident),
    /// A constant the compiler evaluates: a path (`HIDDEN`) or a block (`{ 2 * HIDDEN }`).
    /// `tokens` is what the user wrote; `span` covers all of it.
    Const { tokens: TokenStream, span: Span },
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

    /// How the width reads in messages and documentation.
    pub fn describe(&self) -> String {
        match self {
            Width::Literal { value, .. } => value.to_string(),
            Width::Generic(ident) => ident.to_string(),
            Width::Const { tokens, .. } => tokens.to_string(),
            Width::Repaired { .. } => "1".to_owned(),
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
