//! Expansion of a planned network into Rust: the network struct, its gradients and
//! activations, the width constants and their checks, constructors, the entry points users
//! call, and the `Network`, `Parameters` and `PerParameter` impls.
//!
//! The generated code is glue: each method is a straight line of calls into
//! `ferroflow-core`'s generic kernels, one or two per node, in the order the nodes are
//! written (forward) and the reverse (backward). Every path goes through the versioned
//! private module ([`plan::private`]), so the user's crate needs `ferroflow` alone.

use crate::ast::{Network, NodeKind, Width, hoisted};
use crate::check::quoted;
use crate::plan::{NodePlan, Plan, local};
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::Ident;

/// The expansion of a checked description.
pub fn expand(net: &Network) -> TokenStream {
    let plan = Plan::new(net);
    let structs = structs(&plan);
    let width_items = width_items(&plan);
    let inherent = inherent_impl(&plan);
    let network_impl = network_impl(&plan);
    let workspace_items = workspace_items(&plan);
    let parameters_impl = parameters_impl(&plan);
    let gradients_impl = gradients_impl(&plan);
    let quantise_impl = crate::quant::quantise_impl(&plan);
    quote! {
        #structs
        #width_items
        #inherent
        #network_impl
        #workspace_items
        #parameters_impl
        #gradients_impl
        #quantise_impl
    }
}

/// The network, its gradients and its activations.
fn structs(plan: &Plan) -> TokenStream {
    let Plan { net, p, t, gradients, activations, impl_generics, generic_params, .. } = plan;
    let name = &net.name;
    let vis = &net.vis;
    let attrs = &net.attrs;

    let has_doc = attrs.iter().any(|a| a.path().is_ident("doc"));
    let default_doc =
        (!has_doc).then(|| quote!(#[doc = "A network built by `ferroflow::network!`."]));
    let summary = summary(net);
    let mut fields = Vec::new();
    for n in &plan.nodes {
        let (field, node_attrs) = (&n.node.name, &n.node.attrs);
        let read = n.node.reads.first().map(|&j| net.node(j));
        if let Some(layer) = &n.layer {
            let ty = &layer.field_ty;
            let doc = format!(
                " Layer `{field}`: {} → {}, {}{}.",
                read.map_or(String::new(), |r| r.width.describe()),
                n.node.width.describe(),
                n.node.activation().describe(),
                read.filter(|r| net.nodes.iter().position(|m| m.name == r.name)
                    != n_index(net, field).checked_sub(1))
                    .map_or(String::new(), |r| format!(", reading `{}`", r.name)),
            );
            fields.push(quote!(#(#node_attrs)* #[doc = #doc] pub #field: #ty,));
        } else if let NodeKind::Dropout { rate } = n.node.kind {
            let doc = format!(
                " Dropout `{field}`: drops a share of {rate} of `{}`'s outputs in training.",
                read.map_or(String::new(), |r| r.name.to_string())
            );
            fields.push(quote!(#(#node_attrs)* #[doc = #doc] pub #field: #p::Dropout<#t>,));
        }
    }
    let gradient_fields = plan.layers().map(|(n, layer)| {
        let (field, ty) = (&n.node.name, &layer.grad_field_ty);
        let doc = format!(" The gradients of layer `{field}`.");
        quote!(#[doc = #doc] pub #field: #ty,)
    });
    let activation_fields = plan.computed().map(|n| {
        let (field, width) = (&n.node.name, &n.width);
        let doc = format!(" The output of `{field}`.");
        quote!(#[doc = #doc] pub #field: #p::Matrix<#t, B, #width>,)
    });
    let gradients_doc =
        format!(" The gradients of every parameter of [`{name}`], one field per layer.");
    let activations_doc = format!(
        " What a training forward pass of [`{name}`] keeps for the backward pass: every node's output for a batch of `B` samples."
    );
    quote! {
        #(#attrs)*
        #default_doc
        #[doc = ""]
        #[doc = #summary]
        #[derive(Clone, Debug, PartialEq)]
        #vis struct #name #impl_generics {
            #(#fields)*
        }

        #[doc = #gradients_doc]
        #[derive(Clone, Debug, PartialEq)]
        #vis struct #gradients #impl_generics {
            #(#gradient_fields)*
        }

        #[doc = #activations_doc]
        #[derive(Clone, Debug, PartialEq)]
        #vis struct #activations<#generic_params const B: usize> {
            #(#activation_fields)*
        }
    }
}

/// The position of the node called `field`.
fn n_index(net: &Network, field: &Ident) -> usize {
    net.nodes.iter().position(|n| n.name == *field).unwrap_or(0)
}

/// The widths written or derived as constant expressions, each evaluated once in a hidden
/// constant, and the compile-time checks the macro cannot make itself: no constant width
/// written is 0, a stated input width that is a constant equals what the layer reads, the
/// parts of a sum whose widths are constants are one width. Each check is spanned at the
/// width, so its error points there (under `cargo check` too).
fn width_items(plan: &Plan) -> TokenStream {
    let net = plan.net;
    let mut items = Vec::new();
    let mut hoisted_slots: Vec<String> = Vec::new();
    let mut hoist = |width: &Width, items: &mut Vec<TokenStream>| {
        let Width::Const { tokens, span, slot, .. } = width else { return };
        if hoisted_slots.contains(slot) {
            return;
        }
        hoisted_slots.push(slot.clone());
        let name = hoisted(&net.name, slot);
        items.push(quote_spanned! {*span=>
            #[allow(unused_braces)]
            const #name: usize = { #tokens };
        });
    };
    for (i, node) in net.nodes.iter().enumerate() {
        hoist(&node.width, &mut items);
        let field = &node.name;
        let written = matches!(node.kind, NodeKind::Input | NodeKind::Perceptron { .. });
        if written && let Width::Const { span, .. } = &node.width {
            let message = if node.is_input() {
                format!(
                    "the input `{field}` is `{}` wide, which is 0: a sample has at least 1 feature",
                    node.width.describe()
                )
            } else {
                format!(
                    "layer `{field}` has width `{}`, which is 0: a width counts units, at least 1",
                    node.width.describe()
                )
            };
            let value = node.width.tokens(&net.name);
            items.push(
                quote_spanned!(*span=> const _: () = ::core::assert!(#value != 0, #message);),
            );
        }
        match &node.kind {
            NodeKind::Perceptron { stated_input: Some(stated), activation, .. } => {
                hoist(stated, &mut items);
                let read = net.node(node.reads[0]);
                let message = format!(
                    "layer `{field}` reads {} inputs, but `{}` gives {}, and they differ: write `Perceptron<{} -> {}, {}>`, or leave the input width out (`Perceptron<{}, {}>`)",
                    quoted(stated),
                    read.name,
                    quoted(&read.width),
                    read.width.describe(),
                    node.width.describe(),
                    activation.type_name(),
                    node.width.describe(),
                    activation.type_name(),
                );
                let span = stated.span();
                let (stated, read) = (stated.tokens(&net.name), read.width.tokens(&net.name));
                items.push(quote_spanned!(span=> const _: () = ::core::assert!(#stated == #read, #message);));
            }
            // (A sum that reads nothing was repaired after a reported mistake.)
            NodeKind::Sum if !node.reads.is_empty() => {
                let first = net.node(node.reads[0]);
                for (k, &j) in node.reads.iter().enumerate().skip(1) {
                    let other = net.node(j);
                    if first.width.same_as(&other.width).is_some() {
                        continue;
                    }
                    let message = format!(
                        "`{field}` adds `{}` ({} wide) and `{}` ({} wide), and the two differ: a sum adds nodes of one width",
                        first.name,
                        quoted(&first.width),
                        other.name,
                        quoted(&other.width),
                    );
                    let span = node.sources.get(k).map_or(node.kind_span, Ident::span);
                    let (a, b) = (first.width.tokens(&net.name), other.width.tokens(&net.name));
                    items.push(
                        quote_spanned!(span=> const _: () = ::core::assert!(#a == #b, #message);),
                    );
                }
            }
            _ => {}
        }
        let _ = i;
    }
    quote!(#(#items)*)
}

/// Constants, constructors and the entry points users call.
fn inherent_impl(plan: &Plan) -> TokenStream {
    let Plan { net, p, t, impl_generics, ty_generics, input, output, any_boxed, .. } = plan;
    let name = &net.name;
    let layers: Vec<(&NodePlan, &crate::plan::LayerPlan)> = plan.layers().collect();
    let fields: Vec<&Ident> = layers.iter().map(|(n, _)| &n.node.name).collect();
    let layer_tys = layers.iter().map(|(_, l)| &l.ty);
    let constness = (!any_boxed).then(|| quote!(const));
    let new_doc = if *any_boxed {
        " The network from its layers, in the order written. Not `const`: a layer that is large (or may be, with a generic width) is moved into its heap storage here."
    } else {
        " The network from its layers, in the order written; usable in a `const` context, so trained weights can be baked into flash."
    };
    let rng = local("rng");
    let new_fields = layers.iter().map(|(n, l)| {
        let f = &n.node.name;
        if l.boxed { quote!(#f: #f.boxed()) } else { quote!(#f) }
    });
    let zero_layers = layers.iter().map(|(n, l)| {
        let f = &n.node.name;
        if l.boxed {
            quote!(#f: #p::Perceptron::boxed_zeros())
        } else {
            quote!(#f: #p::Perceptron::zeros())
        }
    });
    // Dropouts are made with the rate written and a seed of their position, so that two
    // dropouts draw different masks; `random` draws their seeds from `rng`, in order.
    let dropout_fields: Vec<TokenStream> = plan
        .dropouts()
        .enumerate()
        .map(|(k, n)| {
            let (f, NodeKind::Dropout { rate }) = (&n.node.name, &n.node.kind) else {
                unreachable!()
            };
            let seed = k as u64;
            let rate = proc_macro2::Literal::f64_unsuffixed(*rate);
            quote!(#f: #p::Dropout::new(#rate, #seed))
        })
        .collect();
    let random_fields = plan.nodes.iter().filter_map(|n| {
        let f = &n.node.name;
        match (&n.layer, &n.node.kind) {
            (Some(l), _) if l.boxed => Some(quote!(#f: #p::Perceptron::boxed_random(#rng))),
            (Some(_), _) => Some(quote!(#f: #p::Perceptron::random(#rng))),
            (None, NodeKind::Dropout { rate }) => {
                let rate = proc_macro2::Literal::f64_unsuffixed(*rate);
                Some(quote!(#f: #p::Dropout::random(#rate, #rng)))
            }
            _ => None,
        }
    });
    // A generic width of 0 can only be caught once it is known: when a constructor is
    // instantiated (at `cargo build`, not `cargo check`).
    let (zero_check, use_zero_check) = generic_zero_check(net);
    let entry_points = entry_points(plan);
    let _ = (t, input, output);
    quote! {
        impl #impl_generics #name #ty_generics {
            /// The number of features per input sample.
            pub const INPUTS: usize = #input;
            /// The number of outputs per sample.
            pub const OUTPUTS: usize = #output;
            /// The number of trainable parameters.
            pub const PARAM_COUNT: usize = <Self as #p::Parameters<#t>>::PARAM_COUNT;
            #zero_check

            #[doc = #new_doc]
            pub #constness fn new(#(#fields: #layer_tys),*) -> Self {
                #use_zero_check
                Self { #(#new_fields,)* #(#dropout_fields,)* }
            }

            /// The network with every weight and bias zero.
            pub #constness fn zeros() -> Self {
                #use_zero_check
                Self { #(#zero_layers,)* #(#dropout_fields,)* }
            }

            /// The network with weights drawn from `rng` by each layer's initialiser (Glorot
            /// for sigmoid, tanh, identity and softmax, He for ReLU), zero biases, and its
            /// dropouts' seeds drawn from `rng` too, in the order written.
            pub fn random<R: #p::Rng + ?Sized>(#rng: &mut R) -> Self {
                #use_zero_check
                Self { #(#random_fields),* }
            }

            #entry_points
        }

        /// The network with every weight and bias zero ([`zeros`](Self::zeros)): what a
        /// model is loaded into (`ferroflow::io::LoadWeights`).
        impl #impl_generics ::core::default::Default for #name #ty_generics {
            fn default() -> Self {
                Self::zeros()
            }
        }
    }
}

/// For a network with generic widths: an associated constant whose evaluation fails when a
/// generic width is 0, and the statement that makes each constructor evaluate it.
fn generic_zero_check(net: &Network) -> (TokenStream, TokenStream) {
    if net.generics.is_empty() {
        return (quote!(), quote!());
    }
    // The nodes whose width is written (a sum or a dropout takes its parts').
    let roles: Vec<(String, &Width)> = net
        .nodes
        .iter()
        .filter_map(|n| match n.kind {
            NodeKind::Input => Some((format!("the width of input `{}`", n.name), &n.width)),
            NodeKind::Perceptron { .. } => {
                Some((format!("the width of layer `{}`", n.name), &n.width))
            }
            _ => None,
        })
        .collect();
    let checks = net.generics.iter().map(|generic| {
        let uses: Vec<&(String, &Width)> = roles
            .iter()
            .filter(|(_, width)| matches!(width, Width::Generic(g) if g == generic))
            .collect();
        let role = match &uses[..] {
            [] => "a width".to_owned(),
            uses => uses.iter().map(|(role, _)| role.as_str()).collect::<Vec<_>>().join(" and "),
        };
        let message = format!(
            "`{generic}`, {role} of `{}`, is 0 here: a width counts units, at least 1",
            net.name
        );
        // Reported at the generic's first use as a width.
        let span = uses.first().map_or(generic.span(), |(_, width)| width.span());
        respan(quote!(::core::assert!(#generic != 0, #message);), span)
    });
    let name_span = net.name.span();
    (
        quote! {
            /// Evaluated by every constructor: fails to compile for a generic width of 0.
            const WIDTHS_ARE_NOT_ZERO: () = { #(#checks)* };
        },
        respan(quote!(let () = Self::WIDTHS_ARE_NOT_ZERO;), name_span),
    )
}

/// `forward`, `loss`, `train_step`, `predict` and `classify`.
///
/// Each takes its arguments at whatever type they have and checks their shapes against
/// the network's with `ferroflow-core`'s shape rules, spanned at the width in the
/// description that they must match: a mistake is then one short error at the argument
/// that names both shapes, whose note points at that width.
///
/// When the input or output width was itself a mistake (already reported), the entry
/// points accept any width there instead, so that the user's calls raise no second error;
/// the crate does not compile anyway, and their bodies are never run.
fn entry_points(plan: &Plan) -> TokenStream {
    let Plan { net, p, t, gradients, ty_generics, input, output, .. } = plan;
    let (lenient_input, lenient_output) = (plan.input_repaired, net.output().width.is_repaired());
    let lenient = lenient_input || lenient_output;
    let x = Ident::new("x", Span::mixed_site());
    let labels = Ident::new("labels", Span::mixed_site());
    let sample = Ident::new("sample", Span::mixed_site());
    let optimizer = local("optimizer");
    let input_span = plan.input_span;
    let output_span = net.output().width.span();
    let name_span = net.name.span();

    let x_batch = respan(quote!(X: #p::AsBatch<B, XN>,), input_span);
    let l_batch = respan(quote!(L: #p::AsBatch<LB, LN>,), output_span);
    let x_check = (!lenient_input)
        .then(|| respan(quote!(X::Shape: #p::Input<#t, #input, X::Element, XN>,), input_span));
    let x_value = quote!(#p::input(#x));
    let l_check = (!lenient_output).then(|| {
        respan(quote!(L::Shape: #p::Labels<#t, B, #output, L::Element, LB, LN>,), output_span)
    });
    let l_value = quote!(#p::labels(#labels));
    let opt_check = respan(quote!(Opt: #p::OptimizerFor<#t, #gradients #ty_generics>,), name_span);

    // A lenient input takes samples of any width; outputs keep the repaired width, since a
    // generic one would leave an unannotated `let y = net.forward(..)` without a type.
    let (sample_param, sample_width) = if lenient_input {
        (quote!(const XN: usize,), quote!(XN))
    } else {
        (quote!(), quote!(#input))
    };
    let unreachable = quote!(::core::unreachable!("`network!` reported a mistake in this network"));
    let body = |strict: TokenStream| if lenient { unreachable.clone() } else { strict };
    let forward_body = body(quote!(#p::Network::forward(self, #x_value)));
    let loss_body = body(quote!(#p::Network::loss(self, #x_value, #l_value)));
    let train_body = body(quote!(#p::Network::train_step(self, #x_value, #l_value, #optimizer)));
    let predict_body = body(quote! {
        let out = #p::Network::forward(self, &#p::matrix::row(*#sample));
        #p::matrix::row_to_array(&out)
    });
    let classify_body = body(quote! {
        let out = #p::Network::forward(self, &#p::matrix::row(*#sample));
        #p::matrix::argmax_rows(&out)[0]
    });
    let ignore = lenient.then(|| quote!(let _ = (#x, #labels, #optimizer);));
    let ignore_x = lenient.then(|| quote!(let _ = #x;));
    let ignore_xl = lenient.then(|| quote!(let _ = (#x, #labels);));
    let ignore_sample = lenient.then(|| quote!(let _ = #sample;));

    quote! {
        /// Inference on a batch of `B` samples (one per row). Keeps nothing, allocates
        /// nothing.
        pub fn forward<const B: usize, const XN: usize, X>(&self, #x: &X) -> #p::Matrix<#t, B, #output>
        where
            #x_batch
            #x_check
        {
            #ignore_x
            #forward_body
        }

        /// The loss of a batch against its labels (one row per sample).
        pub fn loss<const B: usize, const XN: usize, X, const LB: usize, const LN: usize, L>(
            &self,
            #x: &X,
            #labels: &L,
        ) -> #t
        where
            #x_batch
            #x_check
            #l_batch
            #l_check
        {
            #ignore_xl
            #loss_body
        }

        /// One step of training on a batch: forward, loss, backward, and an update of
        /// every parameter by `optimizer`. Returns the loss before the update: `NaN` or
        /// infinite when the batch or the weights are not finite (training has diverged);
        /// `all_finite()` tells whether the update left every weight finite.
        pub fn train_step<const B: usize, const XN: usize, X, const LB: usize, const LN: usize, L, Opt>(
            &mut self,
            #x: &X,
            #labels: &L,
            #optimizer: &mut Opt,
        ) -> #t
        where
            #x_batch
            #x_check
            #l_batch
            #l_check
            #opt_check
        {
            #ignore
            #train_body
        }

        /// The outputs for one sample.
        pub fn predict<#sample_param>(&self, #sample: &[#t; #sample_width]) -> [#t; #output] {
            #ignore_sample
            #predict_body
        }

        /// The predicted class of one sample: the index of its largest output.
        pub fn classify<#sample_param>(&self, #sample: &[#t; #sample_width]) -> usize {
            #ignore_sample
            #classify_body
        }
    }
}

/// `tokens` with every span set to `span`, groups included: a bound whose tokens all point
/// at one token of the description is reported there ("required by this bound"), while a
/// bound of mixed spans would be reported at the whole macro invocation.
fn respan(tokens: TokenStream, span: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut token| {
            if let proc_macro2::TokenTree::Group(group) = &token {
                let mut inner =
                    proc_macro2::Group::new(group.delimiter(), respan(group.stream(), span));
                inner.set_span(span);
                token = proc_macro2::TokenTree::Group(inner);
            } else {
                token.set_span(span);
            }
            token
        })
        .collect()
}

/// The `Network` impl. Every pass runs in a workspace (`ferroflow_core::workspace`): the
/// generated helpers of [`workspace_items`] write each node's output and gradient into a
/// slot of it instead of returning batch-sized matrices by value, and [`in_workspace`]
/// puts the workspace on the stack or, for a large batch with a heap, in a per-thread one.
fn network_impl(plan: &Plan) -> TokenStream {
    let Plan {
        net,
        p,
        t,
        gradients,
        activations,
        impl_generics,
        ty_generics,
        generic_args,
        input,
        output,
        forward_ws,
        backward_ws,
        ..
    } = plan;
    let name = &net.name;
    let loss = Ident::new(net.loss.type_name(), Span::call_site());
    let output_node = net.output();
    let output_activation = Ident::new(output_node.activation().type_name(), output_node.kind_span);
    let (x, a, labels, optimizer) =
        (local("x"), local("activations"), local("labels"), local("optimizer"));
    let (fw, bw, ws) = (local("fw"), local("bw"), local("ws"));
    let last_field = &plan.output_node().node.name;
    // A network built field by field (`Mlp::<0> { .. }`) skips the constructors' check.
    let (_, use_zero_check) = generic_zero_check(net);
    let last_value = value(plan, plan.nodes.len() - 1, Values::Inference);
    let fields: Vec<&Ident> = plan.computed().map(|n| &n.node.name).collect();
    let slots: Vec<Ident> = plan.computed().map(|n| slot("out", n)).collect();
    let traced = quote!(#(&*#fw.#slots),*);
    let kept = quote!(#(&#a.#fields),*);
    let (stack, heap) = (quote!(#p::workspace::Stack), quote!(#p::workspace::Heap));
    let fwd = |s: &TokenStream| quote!(#forward_ws<#generic_args B, #s>);
    let bwd = |s: &TokenStream| quote!(#backward_ws<#generic_args B, #s>);
    let (fwd_stack, fwd_heap, bwd_stack, bwd_heap) =
        (fwd(&stack), fwd(&heap), bwd(&stack), bwd(&heap));
    let forward_bytes = quote!(Self::forward_stack_bytes::<B>());
    let backward_bytes = quote!(::core::mem::size_of::<#bwd_stack>());
    let step_bytes = quote!(Self::stack_bytes::<B>());
    let on_forward = |body: TokenStream| {
        in_workspace(
            plan,
            &forward_bytes,
            quote!(<#fwd_stack>::ZEROS),
            quote!(<#fwd_heap>::zeros),
            &fw,
            body,
        )
    };
    let on_backward = |body: TokenStream| {
        in_workspace(
            plan,
            &backward_bytes,
            quote!(<#bwd_stack>::ZEROS),
            quote!(<#bwd_heap>::zeros),
            &bw,
            body,
        )
    };
    let on_step = |body: TokenStream| {
        let body = quote!(let (#fw, #bw) = #ws; #body);
        in_workspace(
            plan,
            &step_bytes,
            quote!(<#fwd_stack>::STEP_ZEROS),
            quote!(|| (<#fwd_heap>::zeros(), <#bwd_heap>::zeros())),
            &ws,
            body,
        )
    };
    let arithmetic = arithmetic();
    let forward = on_forward(quote!(self.__infer_in::<#arithmetic, B, _>(#x, #fw); *#last_value));
    let forward_trace = on_forward(quote! {
        self.__trace_in::<#arithmetic, B, _>(#x, #fw);
        #activations { #(#fields: *#fw.#slots),* }
    });
    let backward = on_backward(quote!(self.__gradients_in(#x, #labels, #bw, #kept)));
    let update = on_backward(quote!(self.__update_in(#x, #labels, #optimizer, #bw, #kept)));
    let gradients_body = on_step(quote! {
        self.__trace_in::<#arithmetic, B, _>(#x, #fw);
        self.__gradients_in(#x, #labels, #bw, #traced)
    });
    let step = on_step(quote! {
        self.__trace_in::<#arithmetic, B, _>(#x, #fw);
        self.__update_in(#x, #labels, #optimizer, #bw, #traced)
    });
    quote! {
        #[automatically_derived]
        impl #impl_generics #p::Network<#t, #input, #output> for #name #ty_generics {
            type Activations<const B: usize> = #activations<#generic_args B>;

            fn forward<const B: usize>(&self, #x: &#p::Matrix<#t, B, #input>) -> #p::Matrix<#t, B, #output> {
                #use_zero_check
                #forward
            }

            fn forward_trace<const B: usize>(&self, #x: &#p::Matrix<#t, B, #input>) -> #activations<#generic_args B> {
                #use_zero_check
                #forward_trace
            }

            fn output<const B: usize>(#a: &#activations<#generic_args B>) -> &#p::Matrix<#t, B, #output> {
                &#a.#last_field
            }

            fn loss<const B: usize>(&self, #x: &#p::Matrix<#t, B, #input>, #labels: &#p::Matrix<#t, B, #output>) -> #t {
                <#p::#loss as #p::Loss<#p::#output_activation>>::loss(&#p::Network::forward(self, #x), #labels)
            }

            fn backward<const B: usize>(
                &self,
                #x: &#p::Matrix<#t, B, #input>,
                #a: &#activations<#generic_args B>,
                #labels: &#p::Matrix<#t, B, #output>,
            ) -> (#t, #gradients #ty_generics) {
                #backward
            }

            fn gradients<const B: usize>(
                &self,
                #x: &#p::Matrix<#t, B, #input>,
                #labels: &#p::Matrix<#t, B, #output>,
            ) -> (#t, #gradients #ty_generics) {
                #use_zero_check
                #gradients_body
            }

            fn update_from_trace<const B: usize, Opt: #p::OptimizerFor<#t, #gradients #ty_generics>>(
                &mut self,
                #x: &#p::Matrix<#t, B, #input>,
                #a: &Self::Activations<B>,
                #labels: &#p::Matrix<#t, B, #output>,
                #optimizer: &mut Opt,
            ) -> #t {
                #update
            }

            fn train_step<const B: usize, Opt: #p::OptimizerFor<#t, #gradients #ty_generics>>(
                &mut self,
                #x: &#p::Matrix<#t, B, #input>,
                #labels: &#p::Matrix<#t, B, #output>,
                #optimizer: &mut Opt,
            ) -> #t {
                #use_zero_check
                #step
            }
        }
    }
}

/// `body` run with `ws` a workspace: on the stack in a frame of its own (so the caller's
/// frame stays small however large the workspace) when it takes at most `bytes`, else in
/// the thread's cached heap workspace (`workspace::cached`, which makes one by `make`).
fn in_workspace(
    plan: &Plan,
    bytes: &TokenStream,
    zeros: TokenStream,
    make: TokenStream,
    ws: &Ident,
    body: TokenStream,
) -> TokenStream {
    let p = &plan.p;
    let held = local("held");
    let arithmetic = arithmetic();
    quote! {
        if #p::workspace::on_stack(#bytes) {
            #p::widest_pass!(own frame; #arithmetic => {
                let mut #held = #zeros;
                let #ws = &mut #held;
                #body
            })
        } else {
            #p::workspace::cached(#make, |#ws| #p::widest_pass!(#arithmetic => { #body }))
        }
    }
}

/// The field of a workspace that holds node `n`'s output (`out`), gradient (`grad`) or,
/// for an input of several, its columns of the batch (`in`).
fn slot(kind: &str, n: &NodePlan) -> Ident {
    format_ident!("{kind}_{}", n.node.name)
}

/// The workspaces of the passes, and the helpers that run the passes in them.
///
/// `Forward` holds every computed node's output (and each input's columns, for several
/// inputs); `Backward` every computed node's gradient (a perceptron's serves for its
/// output, then, in place, for its pre-activation). Both are generic over where their
/// matrices live (`Store`): inline for the stack, boxed for the heap. The helpers are the
/// straight lines of kernel calls of the passes, writing into the slots.
fn workspace_items(plan: &Plan) -> TokenStream {
    let Plan {
        net,
        p,
        t,
        gradients,
        impl_generics,
        ty_generics,
        generic_params,
        generic_args,
        input,
        output,
        forward_ws,
        backward_ws,
        ..
    } = plan;
    let name = &net.name;
    let inputs: Vec<&NodePlan> = if plan.single_input() {
        Vec::new()
    } else {
        plan.nodes.iter().filter(|n| n.node.is_input()).collect()
    };
    let forward_fields: Vec<(Ident, &TokenStream)> = inputs
        .iter()
        .map(|n| (slot("in", n), &n.width))
        .chain(plan.computed().map(|n| (slot("out", n), &n.width)))
        .collect();
    let backward_fields: Vec<(Ident, &TokenStream)> = inputs
        .iter()
        .map(|n| (slot("in", n), &n.width))
        .chain(plan.computed().map(|n| (slot("grad", n), &n.width)))
        .collect();
    let store = quote!(#p::workspace::Store);
    let define = |ws: &Ident, fields: &[(Ident, &TokenStream)], doc: String| {
        let names: Vec<&Ident> = fields.iter().map(|(f, _)| f).collect();
        let widths = fields.iter().map(|(_, w)| w);
        quote! {
            #[doc = #doc]
            #[doc(hidden)]
            struct #ws<#generic_params const B: usize, S: #store> {
                #(#names: S::Slot<#t, B, #widths>,)*
            }

            impl<#generic_params const B: usize, S: #store> #ws<#generic_args B, S> {
                /// The workspace with every matrix zero, each made where `S` keeps it.
                fn zeros() -> Self {
                    Self { #(#names: S::zeros(),)* }
                }
            }

            impl<#generic_params const B: usize> #ws<#generic_args B, #p::workspace::Stack> {
                /// The workspace on the stack, as a constant: copied into place once.
                const ZEROS: Self = Self { #(#names: #p::workspace::Inline::ZEROS,)* };
            }
        }
    };
    let forward_struct = define(
        forward_ws,
        &forward_fields,
        format!(" Where a forward pass of [`{name}`] writes every node's output."),
    );
    let backward_struct = define(
        backward_ws,
        &backward_fields,
        format!(" Where a backward pass of [`{name}`] writes every node's gradient."),
    );

    let (x, labels, optimizer) = (local("x"), local("labels"), local("optimizer"));
    let (fw, bw) = (local("fw"), local("bw"));
    let outs: Vec<&Ident> = plan.computed().map(|n| &n.out).collect();
    let out_slots: Vec<Ident> = plan.computed().map(|n| slot("out", n)).collect();
    let out_widths = plan.computed().map(|n| &n.width);
    let out_params = quote!(#(#outs: &#p::Matrix<#t, B, #out_widths>),*);
    let inference = forward_pass(plan, false);
    let trace = forward_pass(plan, true);
    let fused = backward_pass(plan, true);
    let unfused = backward_pass(plan, false);
    let arithmetic = arithmetic();
    let layer_inputs: Vec<&TokenStream> =
        plan.layers().map(|(n, _)| &plan.nodes[n.node.reads[0]].width).collect();
    let (fwd_stack, bwd_stack) = (
        quote!(#forward_ws<#generic_args B, #p::workspace::Stack>),
        quote!(#backward_ws<#generic_args B, #p::workspace::Stack>),
    );
    let held = local("held");
    quote! {
        #forward_struct
        #backward_struct

        impl<#generic_params const B: usize> #fwd_stack {
            /// A training step's two workspaces on the stack, as one constant: a debug
            /// build copies it into place once, with no temporary for each half.
            #[allow(clippy::type_complexity)]
            const STEP_ZEROS: (Self, #bwd_stack) = (Self::ZEROS, <#bwd_stack>::ZEROS);
        }

        impl #impl_generics #name #ty_generics {
            /// The bytes of stack a training step on a batch of `B` samples needs for its
            /// temporaries (every layer's output and gradient, and the update kernel's
            /// block, `ferroflow::workspace::update_bytes`) in an optimized build, beyond
            /// the frames of the calls, which do not grow with the batch: what it takes
            /// where there is no heap (without the `alloc` feature), and with one for a
            /// step whose workspace fits in `ferroflow::workspace::STACK_LIMIT`. A firmware can check it at compile
            /// time: `const _: () = assert!(Net::stack_bytes::<32>() <= 48 * 1024);`.
            /// Larger batches, with a heap, train in a workspace on the heap that each
            /// thread allocates once.
            pub const fn stack_bytes<const B: usize>() -> usize {
                // One layer's update runs at a time: the largest of their buffers.
                let mut update = 0;
                #(
                    let layer = #p::workspace::update_bytes::<#t>(B, #layer_inputs);
                    if layer > update {
                        update = layer;
                    }
                )*
                ::core::mem::size_of::<#fwd_stack>() + ::core::mem::size_of::<#bwd_stack>() + update
            }

            /// The bytes of stack inference (`forward`, `predict`, `classify`) on a batch of
            /// `B` samples needs for its temporaries, as [`stack_bytes`](Self::stack_bytes)
            /// for a training step.
            pub const fn forward_stack_bytes<const B: usize>() -> usize {
                ::core::mem::size_of::<#fwd_stack>()
            }

            /// A training step (see `train_step`) with every temporary on this thread's
            /// stack, as without a heap, however large the batch: it needs
            /// [`stack_bytes`](Self::stack_bytes) of stack and never allocates, not even on
            /// a first step.
            pub fn train_step_on_stack<const B: usize, Opt: #p::OptimizerFor<#t, #gradients #ty_generics>>(
                &mut self,
                #x: &#p::Matrix<#t, B, #input>,
                #labels: &#p::Matrix<#t, B, #output>,
                #optimizer: &mut Opt,
            ) -> #t {
                #p::widest_pass!(own frame; #arithmetic => {
                    let mut #held = <#fwd_stack>::STEP_ZEROS;
                    let (#fw, #bw) = &mut #held;
                    self.__trace_in::<#arithmetic, B, _>(#x, #fw);
                    self.__update_in(#x, #labels, #optimizer, #bw, #(&*#fw.#out_slots),*)
                })
            }

            // The passes, generic over the arithmetic of their small loops: the step or
            // inference that calls them runs in the AVX2 variant where the processor has
            // it, with its workspace (`widest_pass!`), and they are inlined into it,
            // whatever the codegen units (compiled on their own, for the build's target, a
            // fused multiply-add would be a library call). The forward passes fuse there;
            // the backward passes (`__gradients_in`, `__update_in`) run as built, in a step
            // and in `gradients` alike, so that a step is `gradients` then
            // `apply_gradients` to the bit (the update fused broke the no-panic proof).

            /// Inference into `fw`: dropout is the identity.
            #[cfg_attr(debug_assertions, inline)]
            #[cfg_attr(not(debug_assertions), inline(always))]
            fn __infer_in<#arithmetic: #p::Arithmetic, const B: usize, S: #p::workspace::Store>(
                &self,
                #x: &#p::Matrix<#t, B, #input>,
                #fw: &mut #forward_ws<#generic_args B, S>,
            ) {
                #inference
            }

            /// The training forward pass into `fw`: dropout drops.
            #[cfg_attr(debug_assertions, inline)]
            #[cfg_attr(not(debug_assertions), inline(always))]
            fn __trace_in<#arithmetic: #p::Arithmetic, const B: usize, S: #p::workspace::Store>(
                &self,
                #x: &#p::Matrix<#t, B, #input>,
                #fw: &mut #forward_ws<#generic_args B, S>,
            ) {
                #trace
            }

            /// The loss and every parameter's gradients, from the nodes' outputs, with the
            /// gradients of the nodes in `bw`.
            #[allow(unused_variables, clippy::too_many_arguments)]
            #[inline]
            fn __gradients_in<const B: usize, S: #p::workspace::Store>(
                &self,
                #x: &#p::Matrix<#t, B, #input>,
                #labels: &#p::Matrix<#t, B, #output>,
                #bw: &mut #backward_ws<#generic_args B, S>,
                #out_params
            ) -> (#t, #gradients #ty_generics) {
                #unfused
            }

            /// The backward pass fused with the update, from the nodes' outputs, with the
            /// gradients of the nodes in `bw`. Returns the loss.
            #[allow(unused_variables, clippy::too_many_arguments)]
            #[inline]
            fn __update_in<const B: usize, S: #p::workspace::Store, Opt: #p::OptimizerFor<#t, #gradients #ty_generics>>(
                &mut self,
                #x: &#p::Matrix<#t, B, #input>,
                #labels: &#p::Matrix<#t, B, #output>,
                #optimizer: &mut Opt,
                #bw: &mut #backward_ws<#generic_args B, S>,
                #out_params
            ) -> #t {
                #fused
            }
        }
    }
}

/// The type a pass's body names its arithmetic by (`ferroflow::__private_v0_1::widest_pass!`
/// defines it in each of the pass's variants): its small loops take it.
fn arithmetic() -> Ident {
    Ident::new("__PassArithmetic", Span::mixed_site())
}

/// The value of node `n` in a pass, as a reference: the batch for the single input; in the
/// forward passes a slot of the workspace `fw` (in inference a dropout is its input
/// unchanged); in the backward pass a computed node's output is the parameter of its name,
/// an input's columns a slot of `bw`.
fn value(plan: &Plan, index: usize, mode: Values) -> TokenStream {
    let n = &plan.nodes[index];
    let (fw, bw) = (local("fw"), local("bw"));
    match &n.node.kind {
        NodeKind::Input if plan.single_input() => {
            let out = &n.out;
            quote!(#out)
        }
        NodeKind::Input if mode == Values::Activations => {
            let slot = slot("in", n);
            quote!(&*#bw.#slot)
        }
        NodeKind::Input => {
            let slot = slot("in", n);
            quote!(&*#fw.#slot)
        }
        NodeKind::Dropout { .. } if mode == Values::Inference => value(plan, n.node.reads[0], mode),
        _ if mode == Values::Activations => {
            let out = &n.out;
            quote!(#out)
        }
        _ => {
            let slot = slot("out", n);
            quote!(&*#fw.#slot)
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Values {
    /// The forward pass of inference: dropout is the identity.
    Inference,
    /// The training forward pass: dropout drops.
    Training,
    /// The backward pass, which reads the training forward pass's outputs.
    Activations,
}

/// The inputs' column blocks of the batch, written into the workspace `ws` (`fw` or `bw`),
/// for a network of several inputs (`only` says which inputs to take).
fn take_inputs(plan: &Plan, ws: &Ident, only: impl Fn(usize) -> bool) -> TokenStream {
    if plan.single_input() {
        return quote!();
    }
    let Plan { p, t, input, .. } = plan;
    let x = local("x");
    let takes = plan.nodes.iter().enumerate().filter(|(i, n)| n.node.is_input() && only(*i)).map(
        |(_, n)| {
            let (slot, column, width) = (slot("in", n), &n.column, &n.width);
            quote!(#p::ops::concat::columns_into::<{ #column }, #width, #t, B, #input>(#x, &mut *#ws.#slot);)
        },
    );
    quote!(#(#takes)*)
}

/// The forward pass as a straight line of kernel calls, one or two per computed node in
/// the order written, each writing the node's output into its slot of `fw`: inference
/// (`training` false: dropout is the identity) or the training pass.
fn forward_pass(plan: &Plan, training: bool) -> TokenStream {
    let Plan { p, t, .. } = plan;
    let fw = local("fw");
    let mode = if training { Values::Training } else { Values::Inference };
    let mut steps = vec![take_inputs(plan, &fw, |_| true)];
    for n in plan.computed() {
        let (out, field, width) = (slot("out", n), &n.node.name, &n.width);
        let reads: Vec<TokenStream> = n.node.reads.iter().map(|&j| value(plan, j, mode)).collect();
        let step = match &n.node.kind {
            NodeKind::Perceptron { .. } => {
                let read = &reads[0];
                {
                    let arithmetic = arithmetic();
                    quote!(self.#field.__forward_into_as::<#arithmetic, B>(#read, &mut *#fw.#out);)
                }
            }
            NodeKind::Sum => {
                // The first part copied, the others added; a part whose width is another
                // constant of the same value is taken at the sum's (an assertion of
                // `width_items` checks they are equal). A sum of nothing (reported) is 0.
                let parts = reads.iter().enumerate().map(|(k, read)| {
                    if k == 0 {
                        quote!(#p::ops::add::assign_as_width(#read, &mut *#fw.#out);)
                    } else {
                        quote!(#p::ops::add::add_as_width(#read, &mut *#fw.#out);)
                    }
                });
                let zero = reads
                    .is_empty()
                    .then(|| quote!(#fw.#out.as_mut_slice().fill(<#t as #p::Element>::ZERO);));
                quote!(#zero #(#parts)*)
            }
            NodeKind::Concat => {
                let mut column = quote!(0);
                let places = n.node.reads.iter().zip(&reads).map(|(&j, read)| {
                    let part = &plan.nodes[j].width;
                    let place = quote!(#p::ops::concat::place::<{ #column }, #t, B, #part, #width>(&mut *#fw.#out, #read););
                    column = quote!(#column + #part);
                    place
                });
                quote!(#(#places)*)
            }
            NodeKind::Dropout { .. } if training => {
                let read = &reads[0];
                quote!(self.#field.forward_train_into(#read, &mut *#fw.#out);)
            }
            NodeKind::Dropout { .. } | NodeKind::Input => quote!(),
        };
        steps.push(step);
    }
    quote!(#(#steps)*)
}

/// The backward pass from the loss down, in the reverse of the order written, into the
/// gradient slots of `bw`: each node's gradient starts at zero and every node that reads
/// it adds its share, so it is complete when its turn comes (every reader comes later).
///
/// `fused` false is the body of `__gradients_in`: every layer's parameter gradients,
/// collected into the gradients struct. `fused` true is `__update_in`'s: each layer's
/// gradient goes to the optimizer as it is summed (`Perceptron::train_update`), so no
/// gradients value is built and a large network trains on a small stack; each layer's
/// input gradient is taken before its weights change; the dropouts move to their next
/// step's mask at the end.
fn backward_pass(plan: &Plan, fused: bool) -> TokenStream {
    let Plan { net, p, t, gradients, .. } = plan;
    let (labels, optimizer, bw) = (local("labels"), local("optimizer"), local("bw"));
    let loss_value = local("loss");
    let loss = Ident::new(net.loss.type_name(), Span::call_site());
    let last_index = plan.nodes.len() - 1;
    let last = &plan.nodes[last_index];
    let output_activation = Ident::new(last.node.activation().type_name(), last.node.kind_span);
    let last_out = &last.out;
    let last_grad = slot("grad", last);
    // The gradients that readers add to start at zero.
    let clears = plan.computed().filter(|n| !std::ptr::eq(*n, last)).map(|n| {
        let grad = slot("grad", n);
        quote!(#bw.#grad.as_mut_slice().fill(<#t as #p::Element>::ZERO);)
    });
    // The loss gives the gradient with respect to the output's pre-activation (a
    // perceptron's, fused with its activation), which for any other node is its output.
    let mut steps = vec![quote! {
        #(#clears)*
        let #loss_value =
            <#p::#loss as #p::Loss<#p::#output_activation>>::loss_and_gradient_into(#last_out, #labels, &mut *#bw.#last_grad);
    }];
    // The inputs that layers read, for their parameter gradients.
    let read_by_layer = |i: usize| {
        plan.nodes.iter().any(|n| n.reached && n.layer.is_some() && n.node.reads[0] == i)
    };
    steps.push(take_inputs(plan, &bw, read_by_layer));

    // `share(target)`: the statement that adds a share of a gradient into `target`'s.
    let send = |steps: &mut Vec<TokenStream>, to: usize, share: &dyn Fn(&Ident) -> TokenStream| {
        let target = &plan.nodes[to];
        if !target.node.is_input() {
            steps.push(share(&slot("grad", target)));
        }
    };
    let mut parameter_gradients = Vec::new();
    for (i, n) in plan.nodes.iter().enumerate().rev() {
        if n.node.is_input() || !n.reached {
            continue;
        }
        let (field, grad, width) = (&n.node.name, slot("grad", n), &n.width);
        match &n.node.kind {
            NodeKind::Perceptron { .. } => {
                let out = &n.out;
                if i != last_index {
                    steps.push(quote!(self.#field.pre_activation_gradient_in_place(#out, &mut *#bw.#grad);));
                }
                let read = n.node.reads[0];
                send(
                    &mut steps,
                    read,
                    &|to| quote!(self.#field.add_input_gradient(&*#bw.#grad, &mut *#bw.#to);),
                );
                let read_value = value(plan, read, Values::Activations);
                let layer = n.layer.as_ref().map(|l| &l.offset);
                if fused {
                    steps.push(
                        quote!(self.#field.train_update(#read_value, &*#bw.#grad, #optimizer, #layer);),
                    );
                } else {
                    let grads = local(&format!("parameters_{field}"));
                    steps.push(
                        quote!(let #grads = self.#field.parameter_gradients(#read_value, &*#bw.#grad);),
                    );
                    parameter_gradients.push((i, grads));
                }
            }
            NodeKind::Sum => {
                for &j in &n.node.reads {
                    send(
                        &mut steps,
                        j,
                        &|to| quote!(#p::ops::add::add_as_width(&*#bw.#grad, &mut *#bw.#to);),
                    );
                }
            }
            NodeKind::Concat => {
                let mut column = quote!(0);
                for &j in &n.node.reads {
                    let part = &plan.nodes[j].width;
                    let at = column.clone();
                    send(
                        &mut steps,
                        j,
                        &|to| quote!(#p::ops::concat::add_columns::<{ #at }, #part, #t, B, #width>(&*#bw.#grad, &mut *#bw.#to);),
                    );
                    column = quote!(#column + #part);
                }
            }
            NodeKind::Dropout { .. } => {
                send(
                    &mut steps,
                    n.node.reads[0],
                    &|to| quote!(self.#field.add_backward(&*#bw.#grad, &mut *#bw.#to);),
                );
            }
            NodeKind::Input => {}
        }
    }

    if fused {
        let advances = plan.dropouts().map(|n| {
            let field = &n.node.name;
            quote!(self.#field.advance();)
        });
        quote! {
            #p::Optimizer::begin_step(#optimizer);
            #(#steps)*
            #(#advances)*
            #loss_value
        }
    } else {
        // Every layer's gradients; a layer off the way to the output (reported) gets zeros.
        let values = plan.layers().map(|(n, layer)| {
            let field = &n.node.name;
            let index = n_index(net, field);
            match parameter_gradients.iter().find(|(i, _)| *i == index) {
                Some((_, grads)) if layer.boxed => quote!(#field: #grads.boxed()),
                Some((_, grads)) => quote!(#field: #grads),
                None if layer.boxed => quote!(#field: #p::PerceptronGradients::boxed_zeros()),
                None => quote!(#field: #p::PerceptronGradients::zeros()),
            }
        });
        quote! {
            #(#steps)*
            (#loss_value, #gradients { #(#values),* })
        }
    }
}

/// The `Parameters` impl: the layers' tensors in the order written, and the update of each
/// layer at its place, after which the dropouts move on to their next masks (as at the end
/// of the fused step).
fn parameters_impl(plan: &Plan) -> TokenStream {
    let Plan { net, p, t, gradients, impl_generics, ty_generics, any_boxed, .. } = plan;
    let name = &net.name;
    let layers: Vec<_> = plan.layers().collect();
    let fields: Vec<&Ident> = layers.iter().map(|(n, _)| &n.node.name).collect();
    let field_names: Vec<String> = fields.iter().map(|f| f.to_string()).collect();
    let counts = layers.iter().map(|(_, l)| &l.count);
    // A boxed layer is `Box<P>` with `alloc` and `P` without: `unbox` reaches `P` in both.
    let layer_refs: Vec<TokenStream> = layers
        .iter()
        .map(|(n, l)| {
            let field = &n.node.name;
            if l.boxed { quote!(#p::unbox(&self.#field)) } else { quote!(&self.#field) }
        })
        .collect();
    let layer_muts: Vec<TokenStream> = layers
        .iter()
        .map(|(n, l)| {
            let field = &n.node.name;
            if l.boxed { quote!(#p::unbox_mut(&mut self.#field)) } else { quote!(&mut self.#field) }
        })
        .collect();
    let const_constructor = any_boxed.then(|| {
        quote!(
            const CONST_CONSTRUCTOR: bool = false;
        )
    });
    let (f, param_name, values) = (local("f"), local("name"), local("values"));
    let (gradients_arg, optimizer, offset) =
        (local("gradients"), local("optimizer"), local("offset"));
    let dropouts: Vec<&Ident> = plan.dropouts().map(|n| &n.node.name).collect();
    quote! {
        #[automatically_derived]
        impl #impl_generics #p::Parameters<#t> for #name #ty_generics {
            type Gradients = #gradients #ty_generics;
            #const_constructor

            fn for_each_param(&self, #f: &mut impl FnMut(#p::ParamName<'_>, &[#t])) {
                #( #p::Parameters::for_each_param(#layer_refs, &mut |#param_name, #values| #f(#param_name.in_layer(#field_names), #values)); )*
            }

            fn for_each_param_mut(&mut self, #f: &mut impl FnMut(#p::ParamName<'_>, &mut [#t])) {
                #( #p::Parameters::for_each_param_mut(#layer_muts, &mut |#param_name, #values| #f(#param_name.in_layer(#field_names), #values)); )*
            }

            fn apply_gradients_at<Opt: #p::Optimizer<#t>>(&mut self, #gradients_arg: &#gradients #ty_generics, #optimizer: &mut Opt, #offset: usize) {
                let mut #offset = #offset;
                #(
                    #p::Parameters::apply_gradients_at(#layer_muts, &#gradients_arg.#fields, #optimizer, #offset);
                    #offset += #counts;
                )*
                let _ = #offset;
                // An update ends a training step: each dropout moves on to its next mask.
                #( self.#dropouts.advance(); )*
            }
        }
    }
}

/// The gradients as per-parameter values (`PerParameter`): what optimizers keep their
/// state in. The flat order is the layers' in turn, as `for_each_param` lists them.
fn gradients_impl(plan: &Plan) -> TokenStream {
    let Plan { p, t, gradients, impl_generics, ty_generics, .. } = plan;
    let layers: Vec<_> = plan.layers().collect();
    let fields: Vec<&Ident> = layers.iter().map(|(n, _)| &n.node.name).collect();
    let tys: Vec<&TokenStream> = layers.iter().map(|(_, l)| &l.grad_field_ty).collect();
    let zeros = layers.iter().map(|(_, l)| {
        if l.boxed {
            quote!(#p::PerceptronGradients::boxed_zeros())
        } else {
            quote!(#p::PerceptronGradients::zeros())
        }
    });
    let (offset, len, f, rest) = (local("offset"), local("len"), local("f"), local("rest"));
    quote! {
        #[automatically_derived]
        impl #impl_generics #p::PerParameter<#t> for #gradients #ty_generics {
            const LEN: usize = 0 #(+ <#tys as #p::PerParameter<#t>>::LEN)*;

            fn zeros() -> Self {
                Self { #(#fields: #zeros),* }
            }

            // Always inlined, so that an optimizer's lookup of a layer's state at a
            // position known when compiling folds away, with its panic (tests/no-panic).
            #[inline(always)]
            fn run_mut(&mut self, #offset: usize, #len: usize) -> ::core::option::Option<&mut [#t]> {
                #(
                    let #offset = match #offset.checked_sub(<#tys as #p::PerParameter<#t>>::LEN) {
                        ::core::option::Option::None => return #p::PerParameter::run_mut(&mut self.#fields, #offset, #len),
                        ::core::option::Option::Some(#rest) => #rest,
                    };
                )*
                let _ = (#offset, #len);
                ::core::option::Option::None
            }

            fn for_each_tensor(&self, #f: &mut impl FnMut(&[#t])) {
                #( #p::PerParameter::for_each_tensor(&self.#fields, #f); )*
            }

            fn for_each_tensor_mut(&mut self, #f: &mut impl FnMut(&mut [#t])) {
                #( #p::PerParameter::for_each_tensor_mut(&mut self.#fields, #f); )*
            }
        }
    }
}

/// A description for the docs: `2 inputs → 16 (sigmoid `hidden`) → 2 (softmax `output`)`
/// for a chain, the nodes and what each reads for a graph.
fn summary(net: &Network) -> String {
    let chain = net.inputs().count() == 1
        && net.nodes.iter().enumerate().all(|(i, n)| n.is_input() || n.reads == [i - 1]);
    let node_text = |n: &crate::ast::Node| match &n.kind {
        NodeKind::Input => format!("{} inputs", n.width.describe()),
        NodeKind::Perceptron { activation, .. } => {
            format!("{} ({} `{}`)", n.width.describe(), activation.describe(), n.name)
        }
        NodeKind::Sum => format!("`{}` = sum", n.name),
        NodeKind::Concat => format!("`{}` = concatenation, {} wide", n.name, n.width.describe()),
        NodeKind::Dropout { rate } => format!("dropout {rate} `{}`", n.name),
    };
    let mut text = if chain {
        let parts: Vec<String> = net.nodes.iter().map(node_text).collect();
        format!(" Architecture: {}", parts.join(" → "))
    } else {
        let parts: Vec<String> = net
            .nodes
            .iter()
            .map(|n| {
                let reads: Vec<String> =
                    n.reads.iter().map(|&j| format!("`{}`", net.node(j).name)).collect();
                if n.is_input() {
                    format!("input `{}` ({} wide)", n.name, n.width.describe())
                } else {
                    format!("{} ← {}", node_text(n), reads.join(", "))
                }
            })
            .collect();
        format!(" A graph: {}", parts.join("; "))
    };
    text.push_str(&format!("; trained on {}.", net.loss.describe()));
    text
}

#[cfg(test)]
mod tests {
    use crate::expand_network as network;
    use quote::quote;
    use std::path::PathBuf;

    /// The expansion of `description`, pretty-printed, against `snapshots/{name}`, so a
    /// reviewer can read exactly what the macro emits. After an intended change,
    /// regenerate with `UPDATE_EXPANSION=1 cargo test -p ferroflow-macros`.
    fn assert_pinned(description: proc_macro2::TokenStream, name: &str) {
        let file: syn::File = syn::parse2(network(description)).expect("the expansion parses");
        let pretty = prettyplease::unparse(&file);
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("snapshots").join(name);
        if std::env::var_os("UPDATE_EXPANSION").is_some() {
            std::fs::write(&path, &pretty).expect("write the snapshot");
        }
        let pinned = std::fs::read_to_string(&path).expect("read the snapshot");
        assert!(
            pinned == pretty,
            "the expansion of {name} changed; review it and regenerate with UPDATE_EXPANSION=1:\n{pretty}"
        );
    }

    /// The README's network.
    #[test]
    fn reference_expansion_is_pinned() {
        let description = quote! {
            /// The tutorial's multi-layer perceptron for the red/blue clusters.
            pub struct RedBlue<f32> {
                input: 2,
                hidden: Perceptron<16, Sigmoid>,
                output: Perceptron<2, Softmax>,
            }
        };
        assert_pinned(description, "red_blue.expanded.rs");
    }

    /// A network with a generic width and a constant one: its layers on the heap, the
    /// constant evaluated once and checked for 0, the generic checked by the constructors.
    #[test]
    fn generic_expansion_is_pinned() {
        let description = quote! {
            /// A classifier whose hidden width is a parameter.
            pub struct Mlp<f32, const H: usize> {
                input: FEATURES,
                hidden: Perceptron<H, Relu>,
                output: Perceptron<H -> 3, Softmax>,
            }
        };
        assert_pinned(description, "mlp_generic.expanded.rs");
    }

    /// A graph of every kind of node: two inputs, a layer that names what it reads, a
    /// node read by three others, a sum, a concatenation, a dropout.
    #[test]
    fn graph_expansion_is_pinned() {
        let description = quote! {
            /// A residual block beside a one-hot context.
            pub struct Ranker<f32> {
                features: Input<6>,
                context: Input<3>,
                stem: Perceptron<8, Relu>(features),
                block: Perceptron<8, Tanh>,
                skip: Sum(stem, block),
                drop: Dropout<0.2>,
                joined: Concat(drop, context),
                output: Perceptron<11 -> 2, Softmax>,
            }
        };
        assert_pinned(description, "ranker_graph.expanded.rs");
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
