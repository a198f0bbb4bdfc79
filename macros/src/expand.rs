//! Expansion of a checked network into Rust: the network struct, its gradients and
//! activations, the width constants and their checks, constructors, the entry points users
//! call, and the `Network`, `Parameters` and `PerParameter` impls.
//!
//! The generated code is glue: each method is a straight line of calls into
//! `ferroflow-core`'s generic kernels, one or two per layer. Every path goes through
//! `::ferroflow::__private`, so the user's crate needs `ferroflow` alone.

use crate::ast::{Layer, Network, Width};
use crate::check::quoted;
use proc_macro2::{Literal, Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::Ident;

/// The number of weights from which a layer is kept in `Boxed` storage: the value of
/// `ferroflow_core::perceptron::LARGE_LAYER`, which documents it.
const LARGE_LAYER: u64 = 16 * 1024;

/// Everything the expansion needs, computed once from the description.
struct Plan<'a> {
    net: &'a Network,
    /// `::ferroflow::__private`.
    p: TokenStream,
    /// The element type.
    t: &'a Ident,
    gradients: Ident,
    activations: Ident,
    /// `<const H: usize>` (or nothing), for impls and the struct.
    impl_generics: TokenStream,
    /// `<H>` (or nothing), after the type's name.
    ty_generics: TokenStream,
    /// The generic widths alone, comma-terminated, to put before another parameter.
    generic_params: TokenStream,
    /// The same as arguments, comma-terminated.
    generic_args: TokenStream,
    input: TokenStream,
    output: TokenStream,
    layers: Vec<LayerPlan<'a>>,
    /// Whether a layer lives on the heap (with `alloc`): constructors are not `const` then.
    any_boxed: bool,
}

struct LayerPlan<'a> {
    layer: &'a Layer,
    field: &'a Ident,
    outputs: TokenStream,
    boxed: bool,
    /// `Perceptron<T, I, O, Activation>`.
    ty: TokenStream,
    /// The field's type: `ty`, or `Boxed<ty>` for a layer kept on the heap.
    field_ty: TokenStream,
    /// The gradients' field type, stored as the layer is.
    grad_field_ty: TokenStream,
    /// The layer's parameter count, as width arithmetic the compiler folds: `(2 * 16 + 16)`.
    count: TokenStream,
}

/// The name of the hidden constant that holds a width written as a constant expression,
/// so the expression is evaluated (and its mistakes reported) once.
fn hoisted(net: &Network, slot: &str) -> Ident {
    format_ident!("__{}_{}", net.name.to_string().to_uppercase(), slot.to_uppercase())
}

/// A width as the generated code writes it, with the span of what the user wrote.
fn width_tokens(width: &Width, hoisted: Ident) -> TokenStream {
    match width {
        Width::Literal { value, span } => {
            let mut literal = Literal::usize_unsuffixed(*value as usize);
            literal.set_span(*span);
            quote!(#literal)
        }
        Width::Generic(ident) => quote!(#ident),
        // Every use carries the expression's span, so that if its evaluation fails, rustc's
        // "erroneous constant encountered" notes are one note, not one per use.
        Width::Const { span, .. } => {
            let mut ident = hoisted;
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

impl<'a> Plan<'a> {
    fn new(net: &'a Network) -> Self {
        let p = quote!(::ferroflow::__private);
        let t = &net.element;
        let generics = &net.generics;
        let (impl_generics, ty_generics) = if generics.is_empty() {
            (quote!(), quote!())
        } else {
            (quote!(<#(const #generics: usize),*>), quote!(<#(#generics),*>))
        };
        let generic_params = quote!(#(const #generics: usize,)*);
        let generic_args = quote!(#(#generics,)*);
        let input = width_tokens(&net.input, hoisted(net, "input_width"));
        let mut inputs = input.clone();
        let layers: Vec<LayerPlan> = net
            .layers
            .iter()
            .enumerate()
            .map(|(i, layer)| {
                let field = &layer.name;
                let outputs = width_tokens(&layer.width, hoisted(net, &format!("{field}_width")));
                // Layers with at least `LARGE_LAYER` weights (core's constant of the same
                // name) live in `Boxed` storage, so a 784 → 128 layer is not copied through
                // stack frames (a debug build keeps a copy in each); so do layers with a
                // generic width, which may be that large. Other constant widths cannot be
                // measured here: those layers stay inline.
                let before = net.input_of(i);
                let boxed = match (before.literal(), layer.width.literal()) {
                    (Some(a), Some(b)) => a.saturating_mul(b) >= LARGE_LAYER,
                    _ => before.is_generic() || layer.width.is_generic(),
                };
                let activation = Ident::new(layer.activation.type_name(), layer.activation_span);
                let ty = quote!(#p::Perceptron<#t, #inputs, #outputs, #p::#activation>);
                let grad_ty = quote!(#p::PerceptronGradients<#t, #inputs, #outputs>);
                let (field_ty, grad_field_ty) = if boxed {
                    (quote!(#p::Boxed<#ty>), quote!(#p::Boxed<#grad_ty>))
                } else {
                    (ty.clone(), grad_ty)
                };
                let count = quote!((#inputs * #outputs + #outputs));
                let plan = LayerPlan {
                    layer,
                    field,
                    outputs: outputs.clone(),
                    boxed,
                    ty,
                    field_ty,
                    grad_field_ty,
                    count,
                };
                inputs = outputs;
                plan
            })
            .collect();
        let output = inputs;
        let any_boxed = layers.iter().any(|l| l.boxed);
        Plan {
            net,
            p,
            t,
            gradients: format_ident!("{}Gradients", net.name),
            activations: format_ident!("{}Activations", net.name),
            impl_generics,
            ty_generics,
            generic_params,
            generic_args,
            input,
            output,
            layers,
            any_boxed,
        }
    }

    fn fields(&self) -> Vec<&Ident> {
        self.layers.iter().map(|l| l.field).collect()
    }
}

/// The expansion of a checked description.
pub fn expand(net: &Network) -> TokenStream {
    let plan = Plan::new(net);
    let structs = structs(&plan);
    let width_items = width_items(&plan);
    let inherent = inherent_impl(&plan);
    let network_impl = network_impl(&plan);
    let parameters_impl = parameters_impl(&plan);
    let gradients_impl = gradients_impl(&plan);
    quote! {
        #structs
        #width_items
        #inherent
        #network_impl
        #parameters_impl
        #gradients_impl
    }
}

/// The network, its gradients and its activations.
fn structs(plan: &Plan) -> TokenStream {
    let Plan { net, p, t, gradients, activations, impl_generics, generic_params, .. } = plan;
    let name = &net.name;
    let vis = &net.vis;
    let attrs = &net.attrs;
    let fields = plan.fields();
    let field_tys = plan.layers.iter().map(|l| &l.field_ty);
    let grad_field_tys = plan.layers.iter().map(|l| &l.grad_field_ty);
    let outputs = plan.layers.iter().map(|l| &l.outputs);
    let layer_attrs = plan.layers.iter().map(|l| &l.layer.attrs);

    let has_doc = attrs.iter().any(|a| a.path().is_ident("doc"));
    let default_doc =
        (!has_doc).then(|| quote!(#[doc = "A network built by `ferroflow::network!`."]));
    let summary = summary(net);
    let layer_docs = net.layers.iter().enumerate().map(|(i, l)| {
        format!(
            " Layer `{}`: {} → {}, {}.",
            l.name,
            net.input_of(i).describe(),
            l.width.describe(),
            l.activation.describe()
        )
    });
    let gradients_doc =
        format!(" The gradients of every parameter of [`{name}`], one field per layer.");
    let gradient_field_docs = fields.iter().map(|f| format!(" The gradients of layer `{f}`."));
    let activations_doc = format!(
        " What a training forward pass of [`{name}`] keeps for the backward pass: every layer's output for a batch of `B` samples."
    );
    let activation_field_docs = fields.iter().map(|f| format!(" The output of layer `{f}`."));
    quote! {
        #(#attrs)*
        #default_doc
        #[doc = ""]
        #[doc = #summary]
        #[derive(Clone, Debug, PartialEq)]
        #vis struct #name #impl_generics {
            #(
                #(#layer_attrs)*
                #[doc = #layer_docs]
                pub #fields: #field_tys,
            )*
        }

        #[doc = #gradients_doc]
        #[derive(Clone, Debug, PartialEq)]
        #vis struct #gradients #impl_generics {
            #(
                #[doc = #gradient_field_docs]
                pub #fields: #grad_field_tys,
            )*
        }

        #[doc = #activations_doc]
        #[derive(Clone, Debug, PartialEq)]
        #vis struct #activations<#generic_params const B: usize> {
            #(
                #[doc = #activation_field_docs]
                pub #fields: #p::Matrix<#t, B, #outputs>,
            )*
        }
    }
}

/// The widths written as constant expressions, each evaluated once in a hidden constant,
/// and the compile-time checks the macro cannot make itself: no constant width is 0, and a
/// stated input width that is a constant equals the width before it. Each check is spanned
/// at the width, so its error points there (under `cargo check` too).
fn width_items(plan: &Plan) -> TokenStream {
    let net = plan.net;
    let mut items = vec![hoist(
        net,
        &net.input,
        "input_width",
        Some(format!(
            "the input width `{}` is 0: a sample has at least 1 feature",
            net.input.describe()
        )),
    )];
    for (i, layer) in net.layers.iter().enumerate() {
        let field = &layer.name;
        items.push(hoist(
            net,
            &layer.width,
            &format!("{field}_width"),
            Some(format!(
                "layer `{field}` has width `{}`, which is 0: a width counts units, at least 1",
                layer.width.describe()
            )),
        ));
        let Some(stated) = &layer.stated_input else { continue };
        items.push(hoist(net, stated, &format!("{field}_stated_input"), None));
        let previous = net.input_of(i);
        let previous_name = match i.checked_sub(1) {
            Some(before) => format!("layer `{}`", net.layers[before].name),
            None => "the input".to_owned(),
        };
        let message = format!(
            "layer `{field}` reads {} inputs, but {previous_name} gives {}, and they differ: write `Perceptron<{} -> {}, {}>`, or leave the input width out (`Perceptron<{}, {}>`)",
            quoted(stated),
            quoted(previous),
            previous.describe(),
            layer.width.describe(),
            layer.activation.type_name(),
            layer.width.describe(),
            layer.activation.type_name(),
        );
        let span = stated.span();
        let stated = width_tokens(stated, hoisted(net, &format!("{field}_stated_input")));
        let previous = match i.checked_sub(1) {
            Some(before) => plan.layers[before].outputs.clone(),
            None => plan.input.clone(),
        };
        items.push(
            quote_spanned!(span=> const _: () = ::core::assert!(#stated == #previous, #message);),
        );
    }
    quote!(#(#items)*)
}

/// A width written as a constant expression, as a hidden constant, and the check that it is
/// not 0 if `zero_message` says what to report. Nothing for other widths.
fn hoist(net: &Network, width: &Width, slot: &str, zero_message: Option<String>) -> TokenStream {
    let Width::Const { tokens, span } = width else { return quote!() };
    let name = hoisted(net, slot);
    let constant = quote_spanned! {*span=>
        #[allow(unused_braces)]
        const #name: usize = { #tokens };
    };
    let check = zero_message.map(|message| {
        let value = width_tokens(width, name);
        quote_spanned!(*span=> const _: () = ::core::assert!(#value != 0, #message);)
    });
    quote!(#constant #check)
}

/// Constants, constructors and the entry points users call.
fn inherent_impl(plan: &Plan) -> TokenStream {
    let Plan { net, p, impl_generics, ty_generics, input, output, any_boxed, .. } = plan;
    let name = &net.name;
    let t = plan.t;
    let fields = plan.fields();
    let layer_tys = plan.layers.iter().map(|l| &l.ty);
    let constness = (!any_boxed).then(|| quote!(const));
    let new_doc = if *any_boxed {
        " The network from its layers, in order. Not `const`: a layer that is large (or may be, with a generic width) is moved into its heap storage here."
    } else {
        " The network from its layers, in order; usable in a `const` context, so trained weights can be baked into flash."
    };
    let new_fields = plan.layers.iter().map(|l| {
        let f = l.field;
        if l.boxed { quote!(#f: #f.boxed()) } else { quote!(#f) }
    });
    let zero_layers = plan.layers.iter().map(|l| {
        if l.boxed {
            quote!(#p::Perceptron::boxed_zeros())
        } else {
            quote!(#p::Perceptron::zeros())
        }
    });
    let rng = local("rng");
    let random_layers = plan.layers.iter().map(|l| {
        if l.boxed {
            quote!(#p::Perceptron::boxed_random(#rng))
        } else {
            quote!(#p::Perceptron::random(#rng))
        }
    });
    // A generic width of 0 can only be caught once it is known: when a constructor is
    // instantiated (at `cargo build`, not `cargo check`).
    let (zero_check, use_zero_check) = generic_zero_check(net);
    let entry_points = entry_points(plan);
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
                Self { #(#new_fields),* }
            }

            /// The network with every weight and bias zero.
            pub #constness fn zeros() -> Self {
                #use_zero_check
                Self { #(#fields: #zero_layers),* }
            }

            /// The network with weights drawn from `rng` by each layer's initialiser (Glorot
            /// for sigmoid, tanh, identity and softmax, He for ReLU) and zero biases.
            pub fn random<R: #p::Rng + ?Sized>(#rng: &mut R) -> Self {
                #use_zero_check
                Self { #(#fields: #random_layers),* }
            }

            #entry_points
        }
    }
}

/// For a network with generic widths: an associated constant whose evaluation fails when a
/// generic width is 0, and the statement that makes each constructor evaluate it.
fn generic_zero_check(net: &Network) -> (TokenStream, TokenStream) {
    if net.generics.is_empty() {
        return (quote!(), quote!());
    }
    let roles: Vec<(String, &Width)> = std::iter::once(("the input width".to_owned(), &net.input))
        .chain(net.layers.iter().map(|l| (format!("the width of layer `{}`", l.name), &l.width)))
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
    let (lenient_input, lenient_output) =
        (net.input.is_repaired(), net.output().width.is_repaired());
    let lenient = lenient_input || lenient_output;
    let x = Ident::new("x", Span::mixed_site());
    let labels = Ident::new("labels", Span::mixed_site());
    let sample = Ident::new("sample", Span::mixed_site());
    let optimizer = local("optimizer");
    let input_span = net.input.span();
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
        /// every parameter by `optimizer`. Returns the loss before the update.
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

/// The `Network` impl: the forward passes and the backward pass, fused with the update.
fn network_impl(plan: &Plan) -> TokenStream {
    let Plan {
        net,
        p,
        t,
        activations,
        impl_generics,
        ty_generics,
        generic_args,
        input,
        output,
        ..
    } = plan;
    let name = &net.name;
    let fields = plan.fields();
    let loss = Ident::new(net.loss.type_name(), Span::call_site());
    let output_activation =
        Ident::new(net.output().activation.type_name(), net.output().activation_span);

    // Locals get mixed-site spans, so a layer named like a local cannot capture it.
    let x = Ident::new("x", Span::mixed_site());
    let a = Ident::new("activations", Span::mixed_site());
    let outs: Vec<Ident> =
        fields.iter().map(|f| Ident::new(&format!("out_{f}"), Span::mixed_site())).collect();
    let layer_inputs: Vec<TokenStream> = std::iter::once(quote!(#x))
        .chain(outs.iter().take(outs.len() - 1).map(|o| quote!(&#o)))
        .collect();
    let last_out = &outs[outs.len() - 1];
    let last_field = fields[fields.len() - 1];
    let labels = local("labels");
    // A network built field by field (`Mlp::<0> { .. }`) skips the constructors' check.
    let (_, use_zero_check) = generic_zero_check(net);
    let backward = backward_pass(plan, &x, &a);
    let train_step = train_step_pass(plan, &x, &a);
    quote! {
        impl #impl_generics #p::Network<#t, #input, #output> for #name #ty_generics {
            type Activations<const B: usize> = #activations<#generic_args B>;

            fn forward<const B: usize>(&self, #x: &#p::Matrix<#t, B, #input>) -> #p::Matrix<#t, B, #output> {
                #use_zero_check
                #( let #outs = self.#fields.forward(#layer_inputs); )*
                #last_out
            }

            fn forward_trace<const B: usize>(&self, #x: &#p::Matrix<#t, B, #input>) -> #activations<#generic_args B> {
                #use_zero_check
                #( let #outs = self.#fields.forward(#layer_inputs); )*
                #activations { #(#fields: #outs),* }
            }

            fn output<const B: usize>(#a: &#activations<#generic_args B>) -> &#p::Matrix<#t, B, #output> {
                &#a.#last_field
            }

            fn loss<const B: usize>(&self, #x: &#p::Matrix<#t, B, #input>, #labels: &#p::Matrix<#t, B, #output>) -> #t {
                <#p::#loss as #p::Loss<#p::#output_activation>>::loss(&#p::Network::forward(self, #x), #labels)
            }

            #backward

            #train_step
        }
    }
}

/// The `Parameters` impl: the tensors in order, and the update of each layer at its place.
fn parameters_impl(plan: &Plan) -> TokenStream {
    let Plan { net, p, t, gradients, impl_generics, ty_generics, any_boxed, .. } = plan;
    let name = &net.name;
    let fields = plan.fields();
    let field_names: Vec<String> = fields.iter().map(|f| f.to_string()).collect();
    let counts = plan.layers.iter().map(|l| &l.count);
    let derefs: Vec<TokenStream> =
        plan.layers.iter().map(|l| if l.boxed { quote!(*) } else { quote!() }).collect();
    let const_constructor = any_boxed.then(|| {
        quote!(
            const CONST_CONSTRUCTOR: bool = false;
        )
    });
    let (f, param_name, values) = (local("f"), local("name"), local("values"));
    let (gradients_arg, optimizer, offset) =
        (local("gradients"), local("optimizer"), local("offset"));
    quote! {
        impl #impl_generics #p::Parameters<#t> for #name #ty_generics {
            type Gradients = #gradients #ty_generics;
            #const_constructor

            fn for_each_param(&self, #f: &mut impl FnMut(#p::ParamName<'_>, &[#t])) {
                #( #p::Parameters::for_each_param(&#derefs self.#fields, &mut |#param_name, #values| #f(#param_name.in_layer(#field_names), #values)); )*
            }

            fn for_each_param_mut(&mut self, #f: &mut impl FnMut(#p::ParamName<'_>, &mut [#t])) {
                #( #p::Parameters::for_each_param_mut(&mut #derefs self.#fields, &mut |#param_name, #values| #f(#param_name.in_layer(#field_names), #values)); )*
            }

            fn apply_gradients_at<Opt: #p::Optimizer<#t>>(&mut self, #gradients_arg: &#gradients #ty_generics, #optimizer: &mut Opt, #offset: usize) {
                let mut #offset = #offset;
                #(
                    #p::Parameters::apply_gradients_at(&mut #derefs self.#fields, &#gradients_arg.#fields, #optimizer, #offset);
                    #offset += #counts;
                )*
                let _ = #offset;
            }
        }
    }
}

/// The gradients as per-parameter values (`PerParameter`): what optimizers keep their
/// state in. The flat order is the layers' in turn, as `for_each_param` lists them.
fn gradients_impl(plan: &Plan) -> TokenStream {
    let Plan { p, t, gradients, impl_generics, ty_generics, .. } = plan;
    let fields = plan.fields();
    let tys: Vec<&TokenStream> = plan.layers.iter().map(|l| &l.grad_field_ty).collect();
    let zeros = plan.layers.iter().map(|l| {
        if l.boxed {
            quote!(#p::PerceptronGradients::boxed_zeros())
        } else {
            quote!(#p::PerceptronGradients::zeros())
        }
    });
    let (offset, len, f, rest) = (local("offset"), local("len"), local("f"), local("rest"));
    quote! {
        impl #impl_generics #p::PerParameter<#t> for #gradients #ty_generics {
            const LEN: usize = #(<#tys as #p::PerParameter<#t>>::LEN)+*;

            fn zeros() -> Self {
                Self { #(#fields: #zeros),* }
            }

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

/// The walk of the backward pass from the loss down, shared by `backward` and the fused
/// `update_from_trace`: the loss's gradient with respect to the output layer's
/// pre-activation, then for each layer from the top: the gradient for the layer below
/// (taken first, from the weights as they were), `at_layer(i, field, layer_input)`, and the
/// step down through the activation below. The first layer skips the input gradient.
fn backward_chain(
    plan: &Plan,
    x: &Ident,
    a: &Ident,
    mut at_layer: impl FnMut(usize, &Ident, TokenStream) -> TokenStream,
) -> TokenStream {
    let Plan { net, p, .. } = plan;
    let fields = plan.fields();
    let loss = Ident::new(net.loss.type_name(), Span::call_site());
    let last = net.output();
    let output_activation = Ident::new(last.activation.type_name(), last.activation_span);
    let (grad_z, grad_a) = (grad_z(), Ident::new("grad_a", Span::mixed_site()));
    let loss_value = loss_value();
    let last_field = fields[fields.len() - 1];
    let labels = local("labels");

    let mut steps = vec![quote! {
        let (#loss_value, #grad_z) =
            <#p::#loss as #p::Loss<#p::#output_activation>>::loss_and_gradient(&#a.#last_field, #labels);
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

/// A local variable or parameter of the generated code, with a mixed-site span: a
/// constant of the user's crate with the same name can neither capture it nor turn it into
/// a constant pattern.
fn local(name: &str) -> Ident {
    Ident::new(name, Span::mixed_site())
}

/// The gradient with respect to the current layer's pre-activation, in the generated code.
fn grad_z() -> Ident {
    local("grad_z")
}

/// The loss of the batch, in the generated code.
fn loss_value() -> Ident {
    local("loss")
}

/// `backward`: the loss and every parameter's gradient, collected into the gradients struct.
fn backward_pass(plan: &Plan, x: &Ident, a: &Ident) -> TokenStream {
    let Plan { p, t, gradients, activations, ty_generics, generic_args, input, output, .. } = plan;
    let fields = plan.fields();
    let (grad_z, loss_value, labels) = (grad_z(), loss_value(), local("labels"));
    let grads: Vec<Ident> =
        fields.iter().map(|f| Ident::new(&format!("grad_{f}"), Span::mixed_site())).collect();
    let chain = backward_chain(plan, x, a, |i, field, layer_input| {
        let grad = &grads[i];
        quote!(let #grad = self.#field.parameter_gradients(#layer_input, &#grad_z);)
    });
    let values = plan
        .layers
        .iter()
        .zip(&grads)
        .map(|(l, grad)| if l.boxed { quote!(#grad.boxed()) } else { quote!(#grad) });

    quote! {
        fn backward<const B: usize>(
            &self,
            #x: &#p::Matrix<#t, B, #input>,
            #a: &#activations<#generic_args B>,
            #labels: &#p::Matrix<#t, B, #output>,
        ) -> (#t, #gradients #ty_generics) {
            #chain
            (#loss_value, #gradients { #(#fields: #values),* })
        }
    }
}

/// The fused backward pass and update, overriding `Network::update_from_trace`'s default
/// (backward, then `apply_gradients`): each layer's weight gradient goes to the optimizer
/// as it is summed (`Perceptron::train_update`), so no gradients value is built, and a
/// large network trains on a small stack. Each layer's input gradient is taken before its
/// weights change.
fn train_step_pass(plan: &Plan, x: &Ident, a: &Ident) -> TokenStream {
    let Plan { p, t, gradients, ty_generics, input, output, .. } = plan;
    let (grad_z, loss_value, labels) = (grad_z(), loss_value(), local("labels"));
    let optimizer = local("optimizer");
    let chain = backward_chain(plan, x, a, |i, field, layer_input| {
        // The layer's first parameter in the flat list, as `apply_gradients_at` places it.
        let counts = plan.layers[..i].iter().map(|l| &l.count);
        quote!(self.#field.train_update(#layer_input, &#grad_z, #optimizer, 0 #(+ #counts)*);)
    });

    quote! {
        fn update_from_trace<const B: usize, Opt: #p::OptimizerFor<#t, #gradients #ty_generics>>(
            &mut self,
            #x: &#p::Matrix<#t, B, #input>,
            #a: &Self::Activations<B>,
            #labels: &#p::Matrix<#t, B, #output>,
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
