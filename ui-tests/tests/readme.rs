//! The compiler messages the README quotes are real and whole: each ```text block of the
//! README that shows an error is, to the byte, the pinned `.stderr` of a ui case (which
//! `network.rs` and `graph.rs` check against the compiler).

use std::path::Path;

#[test]
fn every_error_the_readme_quotes_is_a_pinned_message() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("../README.md")).expect("read the README");
    let mut pinned = Vec::new();
    for folder in ["cases/network", "cases/graph"] {
        for entry in std::fs::read_dir(root.join(folder)).expect("read a cases folder") {
            let path = entry.expect("a directory entry").path();
            if path.extension().is_some_and(|e| e == "stderr") {
                let text = std::fs::read_to_string(&path).expect("read a .stderr");
                pinned.push((path, text.trim_end().to_owned()));
            }
        }
    }
    let quotes: Vec<&str> = readme
        .split("```text\n")
        .skip(1)
        .filter_map(|block| block.split("\n```").next())
        .filter(|block| block.starts_with("error"))
        .collect();
    assert!(quotes.len() >= 3, "the README quotes {} errors; expected several", quotes.len());
    for quote in quotes {
        assert!(
            pinned.iter().any(|(_, text)| text == quote.trim_end()),
            "the README quotes an error that no ui case pins, or only part of one:\n{quote}"
        );
    }
}
