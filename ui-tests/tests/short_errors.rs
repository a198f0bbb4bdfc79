//! Every mistake is reported in a screenful: the first error of each compile-fail case fits
//! in 15 lines, as pinned in its `.stderr` (which `network.rs` and `graph.rs` check
//! against the compiler, and which is what a user's terminal shows: the messages name no
//! type long enough for rustc to shorten it).

use std::path::Path;

/// Cases whose first error is longer, each with its length and the reason.
const LONGER: &[(&str, usize, &str)] = &[(
    "graph/two-placeholders-read-one-position-differently",
    18,
    "the clash is found where the graph is used, through the tuples of what each operand reads",
)];

#[test]
fn the_first_error_of_every_mistake_fits_in_fifteen_lines() {
    let cases = Path::new(env!("CARGO_MANIFEST_DIR")).join("cases");
    let mut checked = 0;
    for folder in ["network", "graph"] {
        for entry in std::fs::read_dir(cases.join(folder)).expect("read a cases folder") {
            let path = entry.expect("a directory entry").path();
            if path.extension().is_none_or(|e| e != "stderr") {
                continue;
            }
            let case = format!("{folder}/{}", path.file_stem().unwrap_or_default().display());
            let text = std::fs::read_to_string(&path).expect("read a pinned .stderr");
            let first = text.lines().take_while(|line| !line.is_empty()).count();
            let limit = LONGER.iter().find(|(name, ..)| *name == case).map_or(15, |l| l.1);
            assert!(first <= limit, "{case}: the first error takes {first} lines:\n{text}");
            checked += 1;
        }
    }
    assert!(checked >= 40, "only {checked} cases were found");
}
