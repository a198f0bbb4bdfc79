#!/usr/bin/env bash
# Builds the playground's site: the WebAssembly module in release and the page beside it,
# in target/playground/site/ (git-ignored). serve.sh and test.sh call it; prints the folder.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
cd "$here"
# The toolchain is the one ../rust-toolchain.toml pins; a fresh machine lacks the target.
rustup target add wasm32-unknown-unknown >&2
# Under the repository's target/, beside the site, so one folder holds all the build.
export CARGO_TARGET_DIR="$root/target/playground/cargo"
# Not --locked: the library's own dependencies may change under it, and Cargo.lock here
# should follow them rather than fail.
cargo build --release --target wasm32-unknown-unknown >&2
site="$root/target/playground/site"
rm -rf "$site"
mkdir -p "$site"
cp web/index.html web/main.js web/style.css "$site/"
cp "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/ferroflow_playground.wasm" "$site/"
echo "$site"
