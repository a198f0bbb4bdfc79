//! The `network!` macro of ferroflow (see the `ferroflow` crate for its documentation).
