//! The int8 side of a network: `Quantise`, with one int8 node per node of the description
//! and the straight-line passes over them (calibration's float pass, the quantisation of
//! each node, the integer forward pass). The nodes and their arithmetic live in
//! `ferroflow_core::quant`; this writes the wiring the description gives.

use crate::ast::{ActivationKind, NodeKind};
use crate::plan::{Plan, local};
use proc_macro2::{Literal, TokenStream};
use quote::quote;
use syn::{Ident, Index};

/// `impl Quantise<I, O> for Net`.
pub fn quantise_impl(plan: &Plan) -> TokenStream {
    let Plan { net, p, t, impl_generics, ty_generics, input, output, .. } = plan;
    let name = &net.name;
    let count = plan.nodes.len();
    let nodes_count = Literal::usize_unsuffixed(count);
    let (x, seen, nodes, f) = (local("x"), local("seen"), local("nodes"), local("f"));
    let (q, acc, out) = (local("q"), local("acc"), local("out"));
    // Per node: its float value in calibration, its int8 node and output mapping in
    // quantisation, its int8 value in the forward pass.
    let float = |i: usize| local(&format!("f_{}", plan.nodes[i].node.name));
    let node = |i: usize| local(&format!("n_{}", plan.nodes[i].node.name));
    let mapping = |i: usize| local(&format!("a_{}", plan.nodes[i].node.name));
    let int8 = |i: usize| local(&format!("q_{}", plan.nodes[i].node.name));

    let mut types = Vec::new();
    let (mut observe, mut quantise, mut forward, mut inputs, mut visit) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (i, n) in plan.nodes.iter().enumerate() {
        let (k, width, label) = (Index::from(i), &n.width, n.node.name.to_string());
        let at = Literal::usize_unsuffixed(i);
        let (fv, nv, av, qv) = (float(i), node(i), mapping(i), int8(i));
        let reads = &n.node.reads;
        let read_floats: Vec<Ident> = reads.iter().map(|&j| float(j)).collect();
        let read_maps: Vec<Ident> = reads.iter().map(|&j| mapping(j)).collect();
        let read_int8: Vec<Ident> = reads.iter().map(|&j| int8(j)).collect();
        let parts: Vec<Index> = (0..reads.len()).map(Index::from).collect();
        visit.push(quote!(#f(#label, &#nodes.#k)?;));
        match &n.node.kind {
            NodeKind::Input => {
                let column = &n.column;
                types.push(quote!(#p::quant::InputMapping));
                if plan.single_input() {
                    observe.push(quote!(let #fv = *#x;));
                    forward.push(quote!(let #qv = *#x;));
                } else {
                    observe.push(quote!(let #fv = #p::ops::concat::columns::<{ #column }, #width, #t, 1, #input>(#x);));
                    forward.push(
                        quote!(let #qv = #p::quant::columns::<{ #column }, #width, #input>(#x);),
                    );
                }
                observe.push(quote!(#seen[#at].see(#fv.as_slice());));
                quantise.push(quote! {
                    let #av = #seen[#at].mappings(#label)?.1;
                    let #nv = #p::quant::InputMapping::new(#av);
                });
                inputs.push(quote!(#nodes.#k.quantise_into::<#t, { #column }, #width, #input>(#x, &mut #q);));
            }
            NodeKind::Perceptron { activation, activation_span, .. } => {
                let inputs_width = &plan.nodes[reads[0]].width;
                let activation = Ident::new(activation.type_name(), *activation_span);
                let field = &n.node.name;
                let (read, read_map, read_q) = (&read_floats[0], &read_maps[0], &read_int8[0]);
                types.push(quote!(#p::quant::Dense<#inputs_width, #width, #p::#activation>));
                observe.push(quote!(let #fv = self.#field.observe(&#read, &mut #seen[#at]);));
                quantise.push(quote!(let (#nv, #av) = self.#field.quantise_int8(#label, #read_map, &#seen[#at])?;));
                forward.push(quote!(let #qv = #nodes.#k.forward(&#read_q);));
            }
            NodeKind::Sum => {
                let parts_count = Literal::usize_unsuffixed(reads.len());
                types.push(quote!(#p::quant::Sum<#width, #parts_count>));
                let zero = quote!(#p::matrix::zeros::<#t, 1, #width>());
                observe.push(quote! {
                    let mut #fv = #zero;
                    #( #p::ops::add::add_as_width(&#read_floats, &mut #fv); )*
                    #seen[#at].see(#fv.as_slice());
                });
                quantise.push(quote!(let (#nv, #av) = #p::quant::Sum::quantise(#label, [#(#read_maps),*], &#seen[#at])?;));
                forward.push(quote! {
                    let #qv = {
                        let mut #acc = [0i32; #width];
                        #( #nodes.#k.add(#parts, &#read_int8, &mut #acc); )*
                        #nodes.#k.finish(&#acc)
                    };
                });
            }
            NodeKind::Concat => {
                let parts_count = Literal::usize_unsuffixed(reads.len());
                types.push(quote!(#p::quant::Concat<#parts_count>));
                let mut column = quote!(0);
                let mut places_f = Vec::new();
                let mut places_q = Vec::new();
                for ((&j, (rf, rq)), part) in
                    reads.iter().zip(read_floats.iter().zip(&read_int8)).zip(&parts)
                {
                    let part_width = &plan.nodes[j].width;
                    places_f.push(quote!(#p::ops::concat::place::<{ #column }, #t, 1, #part_width, #width>(&mut #fv, &#rf);));
                    places_q.push(quote!(#nodes.#k.place::<{ #column }, #part_width, #width>(#part, &#rq, &mut #out);));
                    column = quote!(#column + #part_width);
                }
                observe.push(quote! {
                    let mut #fv = #p::matrix::zeros::<#t, 1, #width>();
                    #(#places_f)*
                    #seen[#at].see(#fv.as_slice());
                });
                quantise.push(quote!(let (#nv, #av) = #p::quant::Concat::quantise(#label, [#(#read_maps),*], &#seen[#at])?;));
                forward.push(quote! {
                    let #qv = {
                        let mut #out = [0i8; #width];
                        #(#places_q)*
                        #out
                    };
                });
            }
            NodeKind::Dropout { .. } => {
                let (read, read_map, read_q) = (&read_floats[0], &read_maps[0], &read_int8[0]);
                types.push(quote!(#p::quant::Pass));
                observe.push(quote!(let #fv = #read;));
                quantise.push(quote!(let (#nv, #av) = (#p::quant::Pass, #read_map);));
                forward.push(quote!(let #qv = #read_q;));
            }
        }
    }
    let last = count - 1;
    let (last_q, last_map) = (int8(last), mapping(last));
    let all_nodes: Vec<Ident> = (0..count).map(node).collect();
    let softmax = net.output().activation() == ActivationKind::Softmax;
    let error = quote!(#p::quant::QuantiseError);
    let fmt = quote!(::core::fmt);
    // A node's value that nothing reads (a dropout's input is read by it) is allowed.
    let allow =
        quote!(#[allow(unused_variables, clippy::let_and_return, clippy::redundant_locals)]);
    quote! {
        #[automatically_derived]
        impl #impl_generics #p::quant::Quantise<#input, #output> for #name #ty_generics {
            type Element = #t;
            type Nodes = (#(#types,)*);
            type Seen = [#p::quant::Observed; #nodes_count];
            const UNSEEN: Self::Seen = [#p::quant::Observed::UNSEEN; #nodes_count];
            const SOFTMAX: bool = #softmax;

            #allow
            fn observe(&self, #x: &#p::Matrix<#t, 1, #input>, #seen: &mut Self::Seen) {
                #(#observe)*
            }

            #allow
            fn quantise_nodes(&self, #seen: &Self::Seen) -> ::core::result::Result<(Self::Nodes, #p::quant::Affine), #error> {
                #(#quantise)*
                ::core::result::Result::Ok(((#(#all_nodes,)*), #last_map))
            }

            fn quantise_input(#nodes: &Self::Nodes, #x: &[#t; #input]) -> [i8; #input] {
                let mut #q = [0i8; #input];
                #(#inputs)*
                #q
            }

            #allow
            fn forward_int8(#nodes: &Self::Nodes, #x: &[i8; #input]) -> [i8; #output] {
                #(#forward)*
                #last_q
            }

            fn for_each_node(
                #nodes: &Self::Nodes,
                #f: &mut dyn FnMut(&'static str, &dyn #p::quant::Int8Node) -> #fmt::Result,
            ) -> #fmt::Result {
                #(#visit)*
                ::core::result::Result::Ok(())
            }
        }
    }
}
