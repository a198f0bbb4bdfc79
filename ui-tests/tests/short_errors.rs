//! A mistake where a network or a graph is used is reported in a screenful: the first error
//! of each use-site case fits in 15 lines, as pinned in its `.stderr` (which `network.rs`
//! and `graph.rs` check against the compiler).

/// The use-site mistakes, by case (`cases/<name>.rs`).
const USE_SITE_CASES: &[&str] = &[
    "network/input-of-wrong-width",
    "network/f64-input-to-f32-network",
    "network/labels-with-wrong-number-of-classes",
    "network/labels-for-another-batch-size",
    "network/chained-networks-of-different-widths",
    "network/input-that-is-not-a-matrix",
    "graph/unfed-placeholder",
    "graph/feed-of-wrong-shape",
    "graph/matmul-with-different-inner-dimensions",
    "graph/add-of-different-shapes",
    "graph/bias-of-wrong-width",
    "graph/sum-of-wrong-width-never-used",
    "graph/labels-with-wrong-number-of-classes",
    "graph/mixing-f32-and-f64",
    "graph/reduction-over-missing-axis",
    "graph/minimizing-a-loss-that-is-not-a-scalar",
];

#[test]
fn the_first_error_of_a_use_site_mistake_fits_in_fifteen_lines() {
    let cases = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("cases");
    for case in USE_SITE_CASES {
        let path = cases.join(format!("{case}.stderr"));
        let text = std::fs::read_to_string(&path).expect("read a pinned .stderr");
        let first: Vec<&str> = text.lines().take_while(|line| !line.is_empty()).collect();
        assert!(first[0].starts_with("error"), "{case}: {}", first[0]);
        assert!(first.len() <= 15, "{case}: the first error takes {} lines:\n{text}", first.len());
    }
}
