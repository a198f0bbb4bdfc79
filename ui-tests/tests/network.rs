//! What users read when a `network!` description or a network's use is wrong. Each case
//! is one mistake, named after it; its `.stderr` pins the message. The passing cases make
//! trybuild build (not only check) and prove the macro works from a crate that depends on
//! `ferroflow` alone.

#[test]
fn network_descriptions_and_uses() {
    let cases = trybuild::TestCases::new();
    cases.pass("cases/network/pass/*.rs");
    cases.compile_fail("cases/network/*.rs");
}
