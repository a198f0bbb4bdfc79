//! Expansion of a parsed network into Rust: the network struct, its gradients and
//! activations, constructors, friendly entry points, and the `Network` and `Parameters`
//! impls.
//!
//! The generated code is glue: each method is a straight line of calls into
//! `ferroflow-core`'s generic kernels, one or two per layer. Every path goes through
//! `::ferroflow::__private`, so the user's crate needs `ferroflow` alone.

use crate::ast::{self, Errors, Network, Width};
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::Ident;

/// The number of weights from which a layer is kept in `Boxed` storage: the value of
/// `ferroflow_core::perceptron::LARGE_LAYER`, which documents it.
const LARGE_LAYER: u64 = 16 * 1024;

/// The whole macro: parse, validate, expand; mistakes come out as `compile_error!`s beside
/// the expansion of the repaired description.
pub fn network(input: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let expansion = ast::parse(input, &mut errors).map(|network| expand(&network));
    let errors = errors.to_compile_errors();
    quote! { #errors #expansion }
}

fn expand(net: &Network) -> TokenStream {
    let p = quote!(::ferroflow::__private);
    let t = &net.element;
    let vis = &net.vis;
    let name = &net.name;
    let gradients = format_ident!("{}Gradients", name);
    let activations = format_ident!("{}Activations", name);
    let attrs = &net.attrs;
    let loss = Ident::new(net.loss.type_name(), Span::call_site());

    // widths[0] is the input; widths[i + 1] is layer i's output.
    let widths: Vec<&Width> =
        std::iter::once(&net.input).chain(net.layers.iter().map(|l| &l.width)).collect();
    let input_width = widths[0];
    let output_width = widths[widths.len() - 1];
    let fields: Vec<&Ident> = net.layers.iter().map(|l| &l.name).collect();
    let layer_types: Vec<TokenStream> = net
        .layers
        .iter()
        .enumerate()
        .map(|(i, layer)| {
            let (inputs, outputs) = (widths[i], widths[i + 1]);
            let activation = Ident::new(layer.activation.type_name(), layer.activation_span);
            quote!(#p::Perceptron<#t, #inputs, #outputs, #p::#activation>)
        })
        .collect();
    // Layers with at least `LARGE_LAYER` weights (core's constant of the same name) live in
    // `Boxed` storage, so a 784 → 128 layer is not copied through stack frames (a debug
    // build keeps a copy in each). Only literal widths can be measured here; layers whose
    // widths are constants stay inline.
    let boxed: Vec<bool> = (0..net.layers.len())
        .map(|i| match (widths[i].literal(), widths[i + 1].literal()) {
            (Some(inputs), Some(outputs)) => inputs.saturating_mul(outputs) >= LARGE_LAYER,
            _ => false,
        })
        .collect();
    let any_boxed = boxed.iter().any(|&b| b);
    let field_types: Vec<TokenStream> = layer_types
        .iter()
        .zip(&boxed)
        .map(|(ty, &boxed)| if boxed { quote!(#p::Boxed<#ty>) } else { quote!(#ty) })
        .collect();
    let constness = (!any_boxed).then(|| quote!(const));
    let new_doc = if any_boxed {
        " The network from its layers, in order. Not `const`: a layer of at least `LARGE_LAYER` weights is moved into its heap storage here."
    } else {
        " The network from its layers, in order; usable in a `const` context, so trained weights can be baked into flash."
    };
    let new_fields: Vec<TokenStream> = fields
        .iter()
        .zip(&boxed)
        .map(|(f, &boxed)| if boxed { quote!(#f: #f.boxed()) } else { quote!(#f) })
        .collect();
    let zero_layers: Vec<TokenStream> = boxed
        .iter()
        .map(|&boxed| {
            if boxed {
                quote!(#p::Perceptron::boxed_zeros())
            } else {
                quote!(#p::Perceptron::zeros())
            }
        })
        .collect();
    let random_layers: Vec<TokenStream> = boxed
        .iter()
        .map(|&boxed| {
            if boxed {
                quote!(#p::Perceptron::boxed_random(rng))
            } else {
                quote!(#p::Perceptron::random(rng))
            }
        })
        .collect();
    let derefs: Vec<TokenStream> =
        boxed.iter().map(|&boxed| if boxed { quote!(*) } else { quote!() }).collect();
    let gradient_types: Vec<TokenStream> = (0..net.layers.len())
        .map(|i| {
            let (inputs, outputs) = (widths[i], widths[i + 1]);
            quote!(#p::PerceptronGradients<#t, #inputs, #outputs>)
        })
        .collect();
    let output_widths = &widths[1..];
    let last_field = fields[fields.len() - 1];
    let output_activation = {
        let last = &net.layers[net.layers.len() - 1];
        Ident::new(last.activation.type_name(), last.activation_span)
    };

    let summary = summary(net);
    let has_doc = attrs.iter().any(|a| a.path().is_ident("doc"));
    let default_doc =
        (!has_doc).then(|| quote!(#[doc = "A network built by `ferroflow::network!`."]));
    let layer_docs: Vec<String> = net
        .layers
        .iter()
        .enumerate()
        .map(|(i, l)| {
            format!(
                " Layer `{}`: {} → {}, {}.",
                l.name,
                widths[i].describe(),
                widths[i + 1].describe(),
                l.activation.describe()
            )
        })
        .collect();
    let layer_attrs: Vec<&Vec<syn::Attribute>> = net.layers.iter().map(|l| &l.attrs).collect();
    let field_names: Vec<String> = fields.iter().map(|f| f.to_string()).collect();
    let gradients_doc =
        format!(" The gradients of every parameter of [`{name}`], one field per layer.");
    let gradient_field_docs: Vec<String> =
        field_names.iter().map(|f| format!(" The gradients of layer `{f}`.")).collect();
    let activations_doc = format!(
        " What a training forward pass of [`{name}`] keeps for the backward pass: every layer's output for a batch of `B` samples."
    );
    let activation_field_docs: Vec<String> =
        field_names.iter().map(|f| format!(" The output of layer `{f}`.")).collect();
    // Parameters per layer, as width arithmetic the compiler folds: `2 * 16 + 16`.
    let layer_param_counts: Vec<TokenStream> = (0..net.layers.len())
        .map(|i| {
            let (inputs, outputs) = (widths[i], widths[i + 1]);
            quote!((#inputs * #outputs + #outputs))
        })
        .collect();
    let width_checks = width_assertions(net);

    // Locals get mixed-site spans, so a layer named like a local cannot capture it.
    let x = Ident::new("x", Span::mixed_site());
    let a = Ident::new("activations", Span::mixed_site());
    let outs: Vec<Ident> =
        fields.iter().map(|f| Ident::new(&format!("out_{f}"), Span::mixed_site())).collect();
    let layer_inputs: Vec<TokenStream> = std::iter::once(quote!(#x))
        .chain(outs.iter().take(outs.len() - 1).map(|o| quote!(&#o)))
        .collect();
    let last_out = &outs[outs.len() - 1];
    let backward = backward_pass(net, &fields, &x, &a);
    let train_step = train_step_pass(net, &fields, &x, &a);

    quote! {
        #(#attrs)*
        #default_doc
        #[doc = ""]
        #[doc = #summary]
        #[derive(Clone, Debug, PartialEq)]
        #vis struct #name {
            #(
                #(#layer_attrs)*
                #[doc = #layer_docs]
                pub #fields: #field_types,
            )*
        }

        #[doc = #gradients_doc]
        #[derive(Clone, Debug, PartialEq)]
        #vis struct #gradients {
            #(
                #[doc = #gradient_field_docs]
                pub #fields: #gradient_types,
            )*
        }

        #[doc = #activations_doc]
        #[derive(Clone, Debug, PartialEq)]
        #vis struct #activations<const B: usize> {
            #(
                #[doc = #activation_field_docs]
                pub #fields: #p::Matrix<#t, B, #output_widths>,
            )*
        }

        #width_checks

        impl #name {
            /// The number of features per input sample.
            pub const INPUTS: usize = #input_width;
            /// The number of outputs per sample.
            pub const OUTPUTS: usize = #output_width;
            /// The number of trainable parameters.
            pub const PARAM_COUNT: usize = <Self as #p::Parameters<#t>>::PARAM_COUNT;

            #[doc = #new_doc]
            pub #constness fn new(#(#fields: #layer_types),*) -> Self {
                Self { #(#new_fields),* }
            }

            /// The network with every weight and bias zero.
            pub #constness fn zeros() -> Self {
                Self { #(#fields: #zero_layers),* }
            }

            /// The network with weights drawn from `rng` by each layer's initialiser (Glorot
            /// for sigmoid, tanh, identity and softmax, He for ReLU) and zero biases.
            pub fn random<R: #p::Rng + ?Sized>(rng: &mut R) -> Self {
                Self { #(#fields: #random_layers),* }
            }

            /// Inference on a batch of `B` samples (one per row). Keeps nothing, allocates
            /// nothing.
            pub fn forward<const B: usize, X: #p::InputBatch<#t, B, #input_width>>(
                &self,
                #x: &X,
            ) -> #p::Matrix<#t, B, #output_width> {
                #p::Network::forward(self, #x.as_batch())
            }

            /// The loss of a batch against its labels (one row per sample).
            pub fn loss<const B: usize, X, L>(&self, #x: &X, labels: &L) -> #t
            where
                X: #p::InputBatch<#t, B, #input_width>,
                L: #p::LabelBatch<#t, B, #output_width>,
            {
                #p::Network::loss(self, #x.as_batch(), labels.as_labels())
            }

            /// One step of training on a batch: forward, loss, backward, and an update of
            /// every parameter by `optimizer`. Returns the loss before the update.
            pub fn train_step<const B: usize, X, L, O>(&mut self, #x: &X, labels: &L, optimizer: &mut O) -> #t
            where
                X: #p::InputBatch<#t, B, #input_width>,
                L: #p::LabelBatch<#t, B, #output_width>,
                O: #p::Optimizer<#t>,
            {
                #p::Network::train_step(self, #x.as_batch(), labels.as_labels(), optimizer)
            }

            /// The outputs for one sample.
            pub fn predict(&self, sample: &[#t; #input_width]) -> [#t; #output_width] {
                let out = #p::Network::forward(self, &#p::matrix::row(*sample));
                #p::matrix::row_to_array(&out)
            }

            /// The predicted class of one sample: the index of its largest output.
            pub fn classify(&self, sample: &[#t; #input_width]) -> usize {
                let out = #p::Network::forward(self, &#p::matrix::row(*sample));
                #p::matrix::argmax_rows(&out)[0]
            }
        }

        impl #p::Network<#t, #input_width, #output_width> for #name {
            type Activations<const B: usize> = #activations<B>;

            fn forward<const B: usize>(&self, #x: &#p::Matrix<#t, B, #input_width>) -> #p::Matrix<#t, B, #output_width> {
                #( let #outs = self.#fields.forward(#layer_inputs); )*
                #last_out
            }

            fn forward_trace<const B: usize>(&self, #x: &#p::Matrix<#t, B, #input_width>) -> #activations<B> {
                #( let #outs = self.#fields.forward(#layer_inputs); )*
                #activations { #(#fields: #outs),* }
            }

            fn output<const B: usize>(#a: &#activations<B>) -> &#p::Matrix<#t, B, #output_width> {
                &#a.#last_field
            }

            fn loss<const B: usize>(&self, #x: &#p::Matrix<#t, B, #input_width>, labels: &#p::Matrix<#t, B, #output_width>) -> #t {
                <#p::#loss as #p::Loss<#p::#output_activation>>::loss(&#p::Network::forward(self, #x), labels)
            }

            #backward

            #train_step
        }

        impl #p::Parameters<#t> for #name {
            type Gradients = #gradients;
            const PARAM_COUNT: usize = #(#layer_param_counts)+*;

            fn for_each_param(&self, f: &mut impl FnMut(#p::ParamName<'_>, &[#t])) {
                #( #p::Parameters::for_each_param(&#derefs self.#fields, &mut |name, values| f(name.in_layer(#field_names), values)); )*
            }

            fn for_each_param_mut(&mut self, f: &mut impl FnMut(#p::ParamName<'_>, &mut [#t])) {
                #( #p::Parameters::for_each_param_mut(&mut #derefs self.#fields, &mut |name, values| f(name.in_layer(#field_names), values)); )*
            }

            fn apply_gradients_at<O: #p::Optimizer<#t>>(&mut self, gradients: &#gradients, optimizer: &mut O, offset: usize) {
                let mut offset = offset;
                #(
                    #p::Parameters::apply_gradients_at(&mut #derefs self.#fields, &gradients.#fields, optimizer, offset);
                    offset += #layer_param_counts;
                )*
                let _ = offset;
            }
        }
    }
}

/// The walk of the backward pass from the loss down, shared by `backward` and the fused
/// `update_from_trace`: the loss's gradient with respect to the output layer's
/// pre-activation, then for each layer from the top: the gradient for the layer below
/// (taken first, from the weights as they were), `at_layer(i, field, layer_input)`, and the
/// step down through the activation below. The first layer skips the input gradient.
fn backward_chain(
    net: &Network,
    fields: &[&Ident],
    x: &Ident,
    a: &Ident,
    mut at_layer: impl FnMut(usize, &Ident, TokenStream) -> TokenStream,
) -> TokenStream {
    let p = quote!(::ferroflow::__private);
    let loss = Ident::new(net.loss.type_name(), Span::call_site());
    let last = &net.layers[net.layers.len() - 1];
    let output_activation = Ident::new(last.activation.type_name(), last.activation_span);
    let (grad_z, grad_a) = (grad_z(), Ident::new("grad_a", Span::mixed_site()));
    let loss_value = loss_value();
    let last_field = fields[fields.len() - 1];

    let mut steps = vec![quote! {
        let (#loss_value, #grad_z) =
            <#p::#loss as #p::Loss<#p::#output_activation>>::loss_and_gradient(&#a.#last_field, labels);
    }];
    for i in (0..fields.len()).rev() {
        let field = fields[i];
        let below = i.checked_sub(1).map(|b| fields[b]);
        if below.is_some() {
            steps.push(quote!(let #grad_a = self.#field.input_gradient(&#grad_z);));
        }
        let layer_input = match below {
            Some(below) => quote!(&#a.#below),
            None => quote!(#x),
        };
        steps.push(at_layer(i, field, layer_input));
        if let Some(below) = below {
            steps.push(quote! {
                let #grad_z = self.#below.pre_activation_gradient(&#a.#below, &#grad_a);
            });
        }
    }
    quote!(#(#steps)*)
}

/// The gradient with respect to the current layer's pre-activation, in the generated code.
fn grad_z() -> Ident {
    Ident::new("grad_z", Span::mixed_site())
}

/// The loss of the batch, in the generated code.
fn loss_value() -> Ident {
    Ident::new("loss", Span::mixed_site())
}

/// `backward`: the loss and every parameter's gradient, collected into the gradients struct.
fn backward_pass(net: &Network, fields: &[&Ident], x: &Ident, a: &Ident) -> TokenStream {
    let p = quote!(::ferroflow::__private);
    let t = &net.element;
    let gradients = format_ident!("{}Gradients", net.name);
    let activations = format_ident!("{}Activations", net.name);
    let (input_width, output_width) = (&net.input, &net.layers[net.layers.len() - 1].width);
    let (grad_z, loss_value) = (grad_z(), loss_value());
    let grads: Vec<Ident> =
        fields.iter().map(|f| Ident::new(&format!("grad_{f}"), Span::mixed_site())).collect();
    let chain = backward_chain(net, fields, x, a, |i, field, layer_input| {
        let grad = &grads[i];
        quote!(let #grad = self.#field.parameter_gradients(#layer_input, &#grad_z);)
    });

    quote! {
        fn backward<const B: usize>(
            &self,
            #x: &#p::Matrix<#t, B, #input_width>,
            #a: &#activations<B>,
            labels: &#p::Matrix<#t, B, #output_width>,
        ) -> (#t, #gradients) {
            #chain
            (#loss_value, #gradients { #(#fields: #grads),* })
        }
    }
}

/// The fused backward pass and update, overriding `Network::update_from_trace`'s default
/// (backward, then `apply_gradients`): each layer's weight gradient goes to the optimizer
/// as it is summed (`Perceptron::train_update`), so no gradients value is built, and a
/// large network trains on a small stack. Each layer's input gradient is taken before its
/// weights change.
fn train_step_pass(net: &Network, fields: &[&Ident], x: &Ident, a: &Ident) -> TokenStream {
    let p = quote!(::ferroflow::__private);
    let t = &net.element;
    let (input_width, output_width) = (&net.input, &net.layers[net.layers.len() - 1].width);
    let (grad_z, loss_value) = (grad_z(), loss_value());
    let optimizer = Ident::new("optimizer", Span::mixed_site());
    let widths: Vec<&Width> =
        std::iter::once(&net.input).chain(net.layers.iter().map(|l| &l.width)).collect();
    let chain = backward_chain(net, fields, x, a, |i, field, layer_input| {
        // The layer's first parameter in the flat list, as `apply_gradients_at` places it.
        let counts = (0..i).map(|j| {
            let (inputs, outputs) = (widths[j], widths[j + 1]);
            quote!((#inputs * #outputs + #outputs))
        });
        quote!(self.#field.train_update(#layer_input, &#grad_z, #optimizer, 0 #(+ #counts)*);)
    });

    quote! {
        fn update_from_trace<const B: usize, Opt: #p::Optimizer<#t>>(
            &mut self,
            #x: &#p::Matrix<#t, B, #input_width>,
            #a: &Self::Activations<B>,
            labels: &#p::Matrix<#t, B, #output_width>,
            #optimizer: &mut Opt,
        ) -> #t {
            #p::Optimizer::begin_step(#optimizer);
            #chain
            #loss_value
        }
    }
}

/// A one-line description for the docs: `2 → 16 (sigmoid) → 2 (softmax), cross-entropy`.
fn summary(net: &Network) -> String {
    let mut text = format!(" Architecture: {} inputs", net.input.describe());
    for layer in &net.layers {
        text.push_str(&format!(
            " → {} ({} `{}`)",
            layer.width.describe(),
            layer.activation.describe(),
            layer.name
        ));
    }
    text.push_str(&format!("; trained on {}.", net.loss.describe()));
    text
}

/// Stated input widths the macro could not compare itself (constants) become compile-time
/// assertions; literal mismatches were already reported at the token.
fn width_assertions(net: &Network) -> TokenStream {
    let mut checks = Vec::new();
    for (i, layer) in net.layers.iter().enumerate() {
        if let Some(stated) = &layer.stated_input {
            let previous = if i == 0 { &net.input } else { &net.layers[i - 1].width };
            let message = format!(
                "layer `{}` states an input width that differs from the width before it",
                layer.name
            );
            checks.push(quote! { const _: () = ::core::assert!(#stated == #previous, #message); });
        }
    }
    quote!(#(#checks)*)
}

#[cfg(test)]
mod tests {
    use super::network;
    use quote::quote;
    use std::path::PathBuf;

    /// The expansion of the README's network, pretty-printed and pinned, so a reviewer can
    /// read exactly what the macro emits. After an intended change, regenerate with
    /// `UPDATE_EXPANSION=1 cargo test -p ferroflow-macros`.
    #[test]
    fn reference_expansion_is_pinned() {
        let tokens = network(quote! {
            /// The tutorial's multi-layer perceptron for the red/blue clusters.
            pub struct RedBlue<f32> {
                input: 2,
                hidden: Perceptron<16, Sigmoid>,
                output: Perceptron<2, Softmax>,
            }
        });
        let file: syn::File = syn::parse2(tokens).expect("the expansion parses as Rust");
        let pretty = prettyplease::unparse(&file);
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("snapshots/red_blue.expanded.rs");
        if std::env::var_os("UPDATE_EXPANSION").is_some() {
            std::fs::write(&path, &pretty).expect("write the snapshot");
        }
        let pinned = std::fs::read_to_string(&path).expect("read the snapshot");
        assert!(
            pinned == pretty,
            "the expansion changed; review it and regenerate with UPDATE_EXPANSION=1:\n{pretty}"
        );
    }

    #[test]
    fn mistakes_expand_to_errors_and_a_repaired_network() {
        let tokens = network(quote! {
            struct Careless<f32> {
                input: 2,
                hidden: Perceptron<16, Sigmod>,
                output: Perceptron<2, Softmax>,
            }
        });
        let text = tokens.to_string();
        assert_eq!(text.matches("compile_error").count(), 1, "{text}");
        assert!(text.contains("struct Careless"), "the repaired network is still emitted");
    }
}
