//! The `network!` macro of ferroflow. Users reach it as `ferroflow::network!`; its
//! documentation lives there.
//!
//! The macro works in four steps, each its own module: `parse` reads the description
//! leniently into the model of `ast`, collecting every mistake with the span of the token
//! at fault and repairing it with a stand-in; `check` validates what only the whole
//! description shows (what each node reads, every width where nodes meet), repairing too;
//! `plan` lays the (repaired) network out, one value per node; `expand` turns the plan into
//! Rust, and `quant` writes its int8 counterpart. Mistakes are emitted as
//! `compile_error!`s beside the expansion, so a user sees each mistake once and no
//! follow-on errors from a network that failed to exist.

mod ast;
mod check;
mod expand;
mod parse;
mod plan;
mod quant;

use proc_macro2::TokenStream;
use quote::quote;

/// Builds a statically shaped network from a description. See `ferroflow::network!`.
#[proc_macro]
pub fn network(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    expand_network(input.into()).into()
}

/// The whole macro on `proc_macro2` tokens (so tests can call it): parse, check, expand;
/// mistakes come out as `compile_error!`s beside the expansion of the repaired description.
fn expand_network(input: TokenStream) -> TokenStream {
    let mut errors = ast::Errors::default();
    let expansion = parse::parse(input, &mut errors).map(|mut network| {
        check::check(&mut network, &mut errors);
        expand::expand(&network)
    });
    let errors = errors.to_compile_errors();
    quote! { #errors #expansion }
}
