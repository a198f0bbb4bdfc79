#!/usr/bin/env bash
# Fails if a release binary calls the library's `fma` or `fmaf`: a fused multiply-add left
# in a function of its own. A network's step runs in a variant compiled with FMA
# (`kernels::isa`, `widest_pass!`), and every loop of it must be inlined there; one
# compiled on its own is compiled for the build's target, where `f32::mul_add` is a call
# (W1's step 5 to 10 times slower, and no test of the results would notice).
# Usage: scripts/no_fma_calls.sh BINARY...   (CI runs it on the release examples.)
set -euo pipefail
[ "$#" -gt 0 ] || { echo "usage: $0 BINARY..." >&2; exit 2; }
status=0
for binary in "$@"; do
  # A binary that is not there (another target folder, a renamed example) checks nothing.
  if [ ! -f "$binary" ] || ! nm "$binary" >/dev/null 2>&1; then
    echo "$binary: missing, or nm cannot read it" >&2
    status=1
    continue
  fi
  # The symbol, defined (Rust's compiler-builtins, linked in statically) or imported (the
  # C library's libm): the linker keeps neither unless something calls it. The calls go
  # through the GOT, so the disassembly does not name them.
  symbols=$( { nm "$binary" 2>/dev/null; nm -D "$binary" 2>/dev/null; } |
    grep -E ' (fmaf?)(@.*)?$' || true)
  if [ -n "$symbols" ]; then
    echo "$binary: links fma/fmaf (a fused loop not inlined into its variant): $symbols" >&2
    status=1
  else
    echo "$binary: no fma/fmaf"
  fi
done
exit "$status"
