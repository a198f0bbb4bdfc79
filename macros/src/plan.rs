//! The layout of a checked network for the expansion: one value per node, with everything
//! the generated code says about it (its width and type, where its output and gradient
//! live), and the network's own types and widths.

use crate::ast::{Network, Node, NodeKind, Width};
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::Ident;

/// The number of weights from which a layer is kept in `Boxed` storage: the value of
/// `ferroflow_core::perceptron::LARGE_LAYER`, which documents it.
const LARGE_LAYER: u64 = 16 * 1024;

/// The path generated code names everything through: versioned, so that a `ferroflow` and
/// a `ferroflow-macros` of different versions fail to build rather than mismatch.
pub fn private() -> TokenStream {
    quote!(::ferroflow::__private_v0_1)
}

/// A local variable or parameter of the generated code, with a mixed-site span: a constant
/// of the user's crate with the same name can neither capture it nor turn it into a
/// constant pattern.
pub fn local(name: &str) -> Ident {
    Ident::new(name, Span::mixed_site())
}

/// Everything the expansion needs, computed once from the description.
pub struct Plan<'a> {
    pub net: &'a Network,
    /// `::ferroflow::__private_v0_1`.
    pub p: TokenStream,
    /// The element type.
    pub t: &'a Ident,
    pub gradients: Ident,
    pub activations: Ident,
    /// The hidden workspaces of the forward and backward passes (see `expand`).
    pub forward_ws: Ident,
    pub backward_ws: Ident,
    /// `<const H: usize>` (or nothing), for impls and the struct.
    pub impl_generics: TokenStream,
    /// `<H>` (or nothing), after the type's name.
    pub ty_generics: TokenStream,
    /// The generic widths alone, comma-terminated, to put before another parameter.
    pub generic_params: TokenStream,
    /// The same as arguments, comma-terminated.
    pub generic_args: TokenStream,
    /// The network's input width: its inputs' widths added.
    pub input: TokenStream,
    /// The width written for the input, where a use-site check points (the single
    /// input's width, or the network's name for several inputs).
    pub input_span: Span,
    /// Whether the input width is a mistake already reported.
    pub input_repaired: bool,
    pub output: TokenStream,
    pub nodes: Vec<NodePlan<'a>>,
    /// Whether a layer lives on the heap (with `alloc`): constructors are not `const` then.
    pub any_boxed: bool,
}

/// One node's place in the generated code.
pub struct NodePlan<'a> {
    pub node: &'a Node,
    /// Its width.
    pub width: TokenStream,
    /// Its output: the batch `x` for a single input, a local otherwise.
    pub out: Ident,
    /// Whether it is on the way to the output (a node that is not was reported).
    pub reached: bool,
    /// For an input: its first column in the network's input.
    pub column: TokenStream,
    /// For a perceptron: its layer.
    pub layer: Option<LayerPlan>,
}

/// A perceptron node's layer.
pub struct LayerPlan {
    pub boxed: bool,
    /// `Perceptron<T, I, O, Activation>`.
    pub ty: TokenStream,
    /// The field's type: `ty`, or `Boxed<ty>` for a layer kept on the heap.
    pub field_ty: TokenStream,
    /// The gradients' field type, stored as the layer is.
    pub grad_field_ty: TokenStream,
    /// The layer's parameter count, as width arithmetic the compiler folds: `(2 * 16 + 16)`.
    pub count: TokenStream,
    /// The position of its first parameter among the network's: the counts before it.
    pub offset: TokenStream,
}

impl<'a> Plan<'a> {
    pub fn new(net: &'a Network) -> Self {
        let p = private();
        let t = &net.element;
        let generics = &net.generics;
        let (impl_generics, ty_generics) = if generics.is_empty() {
            (quote!(), quote!())
        } else {
            (quote!(<#(const #generics: usize),*>), quote!(<#(#generics),*>))
        };
        let single_input = net.inputs().count() == 1;

        // The nodes on the way to the output.
        let last = net.nodes.len() - 1;
        let mut reached = vec![false; net.nodes.len()];
        reached[last] = true;
        for i in (0..net.nodes.len()).rev() {
            if reached[i] {
                for &j in &net.nodes[i].reads {
                    reached[j] = true;
                }
            }
        }

        let mut column = quote!(0);
        let mut offset = quote!(0);
        let mut any_boxed = false;
        let nodes: Vec<NodePlan> = net
            .nodes
            .iter()
            .enumerate()
            .map(|(i, node)| {
                let width = node.width.tokens(&net.name);
                let name = &node.name;
                let out = if node.is_input() && single_input {
                    local("x")
                } else if node.is_input() {
                    local(&format!("in_{name}"))
                } else {
                    local(&format!("out_{name}"))
                };
                let plan_column = column.clone();
                if node.is_input() {
                    column = quote!(#column + #width);
                }
                let layer = match &node.kind {
                    NodeKind::Perceptron { activation, activation_span, .. } => {
                        let read = &net.nodes[node.reads[0]].width;
                        let inputs = read.tokens(&net.name);
                        // Layers with at least `LARGE_LAYER` weights (core's constant of the
                        // same name) live in `Boxed` storage, so a 784 → 128 layer is not
                        // copied through stack frames (a debug build keeps a copy in each);
                        // so do layers with a generic width, which may be that large. Other
                        // constant widths cannot be measured here: those layers stay inline.
                        let boxed = match (read.literal(), node.width.literal()) {
                            (Some(a), Some(b)) => a.saturating_mul(b) >= LARGE_LAYER,
                            _ => read.is_generic() || node.width.is_generic(),
                        };
                        any_boxed |= boxed;
                        let activation = Ident::new(activation.type_name(), *activation_span);
                        let ty = quote!(#p::Perceptron<#t, #inputs, #width, #p::#activation>);
                        let grad_ty = quote!(#p::PerceptronGradients<#t, #inputs, #width>);
                        let (field_ty, grad_field_ty) = if boxed {
                            (quote!(#p::Boxed<#ty>), quote!(#p::Boxed<#grad_ty>))
                        } else {
                            (ty.clone(), grad_ty)
                        };
                        let count = quote!((#inputs * #width + #width));
                        let plan = LayerPlan {
                            boxed,
                            ty,
                            field_ty,
                            grad_field_ty,
                            count: count.clone(),
                            offset: offset.clone(),
                        };
                        offset = quote!(#offset + #count);
                        Some(plan)
                    }
                    _ => None,
                };
                NodePlan { node, width, out, reached: reached[i], column: plan_column, layer }
            })
            .collect();

        let inputs: Vec<&Width> = net.inputs().map(|n| &n.width).collect();
        let (input, input_span) = if single_input {
            (inputs[0].tokens(&net.name), inputs[0].span())
        } else if let Some(values) =
            inputs.iter().map(|w| w.literal()).collect::<Option<Vec<u64>>>()
        {
            let mut literal =
                proc_macro2::Literal::usize_unsuffixed(values.iter().sum::<u64>() as usize);
            literal.set_span(net.name.span());
            (quote!(#literal), net.name.span())
        } else {
            (quote!({ #column }), net.name.span())
        };
        let output = nodes[last].width.clone();
        Plan {
            net,
            t,
            gradients: format_ident!("{}Gradients", net.name),
            activations: format_ident!("{}Activations", net.name),
            forward_ws: format_ident!("__{}Forward", net.name),
            backward_ws: format_ident!("__{}Backward", net.name),
            impl_generics,
            ty_generics,
            generic_params: quote!(#(const #generics: usize,)*),
            generic_args: quote!(#(#generics,)*),
            input,
            input_span,
            input_repaired: inputs.iter().any(|w| w.is_repaired()),
            output,
            nodes,
            any_boxed,
            p,
        }
    }

    /// The nodes with a layer, in the order written: the network's parameters.
    pub fn layers(&self) -> impl Iterator<Item = (&NodePlan<'a>, &LayerPlan)> {
        self.nodes.iter().filter_map(|n| n.layer.as_ref().map(|l| (n, l)))
    }

    /// The nodes with a dropout.
    pub fn dropouts(&self) -> impl Iterator<Item = &NodePlan<'a>> {
        self.nodes.iter().filter(|n| matches!(n.node.kind, NodeKind::Dropout { .. }))
    }

    /// The nodes whose output is computed (all but the inputs).
    pub fn computed(&self) -> impl Iterator<Item = &NodePlan<'a>> {
        self.nodes.iter().filter(|n| !n.node.is_input())
    }

    /// The output node.
    pub fn output_node(&self) -> &NodePlan<'a> {
        &self.nodes[self.nodes.len() - 1]
    }

    /// Whether there is exactly one input, which is then the batch itself.
    pub fn single_input(&self) -> bool {
        self.net.inputs().count() == 1
    }
}
