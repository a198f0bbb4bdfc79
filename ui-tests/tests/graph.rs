//! What users read when a computational graph is built or run wrong. Each case is one
//! mistake, named after it; its `.stderr` pins the message. The passing cases make
//! trybuild build (not only check) and show the tutorial's graphs compile from a crate that
//! depends on `ferroflow` alone.

#[test]
fn graph_construction_and_runs() {
    let cases = trybuild::TestCases::new();
    cases.pass("cases/graph/pass/*.rs");
    cases.compile_fail("cases/graph/*.rs");
}
