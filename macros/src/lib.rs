//! The `network!` macro of ferroflow. Users reach it as `ferroflow::network!`; its
//! documentation lives there.
//!
//! The macro works in two modules: `ast` parses and validates the description leniently,
//! collecting every mistake with the span of the token at fault and repairing it with a
//! stand-in; `expand` turns the (repaired) model into Rust. Mistakes are emitted as `compile_error!`s beside the expansion, so a user sees
//! each mistake once and no follow-on errors from a network that failed to exist.

mod ast;
mod expand;

use proc_macro::TokenStream;

/// Builds a statically shaped network from a description. See `ferroflow::network!`.
#[proc_macro]
pub fn network(input: TokenStream) -> TokenStream {
    expand::network(input.into()).into()
}
