//! Compile-fail tests for ferroflow live in `tests/`; this crate only hosts them.
