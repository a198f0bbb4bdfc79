#!/usr/bin/env bash
# Builds the book into target/book (under $CARGO_TARGET_DIR if set): installs the pinned
# mdBook if it is missing, runs the tutorial's examples to capture what they print and the
# pictures they draw (into book/src/generated/, git-ignored), checks that every block of
# the book is included from a file CI builds (book/check.py), then runs `mdbook build`.
# Needs crates.io and Python 3; fails on the first error. `book/build.sh --tools` installs
# mdBook and stops (CI builds it beside other steps).
set -euo pipefail
cd "$(dirname "$0")/.."

# 0.5.4 builds with the pinned Rust 1.95. Only the `search` feature: the book is built,
# never served or watched, and `serve` and `watch` would add tokio, axum and notify.
mdbook_version=0.5.4
target="${CARGO_TARGET_DIR:-target}"
mkdir -p "$target"
target="$(cd "$target" && pwd)"
tools="$target/tools"
mdbook="$tools/bin/mdbook"
if ! "$mdbook" --version 2>/dev/null | grep -qx "mdbook v$mdbook_version"; then
  echo "installing mdBook $mdbook_version into $tools"
  cargo install mdbook --version "$mdbook_version" --locked \
    --no-default-features --features search --root "$tools"
fi
[ "${1:-}" != --tools ] || exit 0

examples=(part1_graph part2_perceptron part3_loss part4_training part5_graph_mlp mlp)
cargo build --release $(printf -- '--example %s ' "${examples[@]}")

# Written afresh, so that nothing stale from an earlier build can be shown.
generated=book/src/generated
rm -rf "$generated"
mkdir -p "$generated"
# Runs an example with its stdout captured into generated/NAME.txt. Plain text: stdout is
# a file, not a terminal, NO_COLOR is set, and CI is unset (the mlp example colours its map
# under CI, for CI's logs).
capture() {
  local name=$1
  shift
  env -u CI NO_COLOR=1 "$target/release/examples/$name" "$@" >"$generated/$name.txt"
}
capture part1_graph
capture part2_perceptron --plot "$generated"
capture part3_loss
capture part4_training --plot "$generated"
capture part5_graph_mlp --plot "$generated"
capture mlp "$generated/mlp-decision-boundary.png"

python3 book/check.py
"$tools/bin/mdbook" build book --dest-dir "$target/book"
echo "the book: $target/book/index.html"
