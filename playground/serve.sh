#!/usr/bin/env bash
# Builds the playground and serves it at http://localhost:$PORT/ (PORT defaults to 8000).
set -euo pipefail
site="$(bash "$(dirname "$0")/build.sh")"
port="${PORT:-8000}"
echo "the playground: http://localhost:$port/ (Ctrl-C stops the server)"
exec python3 -m http.server "$port" --bind 127.0.0.1 --directory "$site"
