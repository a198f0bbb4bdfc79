#!/usr/bin/env bash
# The embedded checks of ferroflow, for CI and by hand (from anywhere):
#   bash examples/firmware/run.sh
#
# 1. Installs what it needs if missing: qemu-system-arm and arm-none-eabi-size (Debian
#    packages qemu-system-arm, binutils-arm-none-eabi) and the three Rust targets.
# 2. For a Cortex-M4F (MPS2 AN386), a Cortex-M3 (LM3S6965) and a Cortex-M0 (micro:bit):
#    builds the inference, training and residual (a graph network on the digits) firmware, shows that neither image holds a panic
#    handler or an allocator, prints their sizes, and runs each under QEMU with a timeout
#    (a run that never exits fails instead of hanging). Each image exits 0 only if it
#    reproduced the host's results.
# 3. Shows that the comparison can fail: five builds with one expected value perturbed
#    must each exit 1.
# 4. Holds the inference firmware to its budget on the Cortex-M4F: under 8 kB of flash and
#    2 kB of RAM (statics plus the measured peak stack).
# 5. Counts instructions per inference and per training step under `-icount shift=0`.
# 6. Proves with the no-panic crate that inference and the training step cannot panic
#    (host build, fat LTO), at opt-level 3 and at the firmware's opt-level "s", and with
#    the facade's std features.
# 7. Lints and formatting of the firmware and the no-panic crate.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$here"
export CARGO_TERM_COLOR=never
# The paths below name the firmware's own target folder; a CARGO_TARGET_DIR from outside
# (a shared build cache, say) would put the images elsewhere.
unset CARGO_TARGET_DIR
# Seconds for one QEMU run; the slowest (training on the Cortex-M0) takes about 2 s.
run_timeout="${FIRMWARE_TIMEOUT:-120}"

step() { printf '\n== embedded: %s\n' "$*"; }
fail() { printf 'FAILED: %s\n' "$*" >&2; exit 1; }

step "tools"
if ! command -v qemu-system-arm >/dev/null || ! command -v arm-none-eabi-size >/dev/null; then
  sudo=""
  if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq qemu-system-arm binutils-arm-none-eabi >/dev/null
fi
qemu-system-arm --version | head -1
rustup target add thumbv7em-none-eabihf thumbv7m-none-eabi thumbv6m-none-eabi

# target:QEMU machine, one line per core.
boards="thumbv7em-none-eabihf:mps2-an386 thumbv7m-none-eabi:lm3s6965evb thumbv6m-none-eabi:microbit"

# qemu MACHINE ELF [QEMU OPTIONS...]: runs the image, with the exit status of the firmware
# (124 if the timeout struck).
qemu() {
  local machine=$1 elf=$2
  shift 2
  timeout -k 5 "$run_timeout" qemu-system-arm -machine "$machine" -nographic \
    -semihosting-config enable=on,target=native "$@" -kernel "$elf" 2> >(grep -v '^Timer with period zero' >&2)
}

# expect_clean ELF: no panic handler (so no path to a panic) and no allocator in the image.
expect_clean() {
  local symbols
  symbols=$(arm-none-eabi-nm -C "$1" | grep -E 'rust_begin_unwind|panic_fmt|__rust_alloc|__rg_alloc|__rust_no_alloc_shim' || true)
  [ -z "$symbols" ] || fail "$1 links a panic path or an allocator: $symbols"
}

for board in $boards; do
  target=${board%%:*}
  machine=${board##*:}
  step "$target on $machine: build"
  cargo build --release --target "$target"
  for bin in inference training residual; do
    elf="target/$target/release/$bin"
    expect_clean "$elf"
    arm-none-eabi-size "$elf"
  done
  for bin in inference training residual; do
    step "$target on $machine: $bin"
    status=0
    qemu "$machine" "target/$target/release/$bin" | tee "target/$target-$bin.log" || status=$?
    [ "$status" = 124 ] && fail "$bin on $machine did not exit within ${run_timeout}s"
    [ "$status" = 0 ] || fail "$bin on $machine exited $status"
  done
done

step "budget of the inference firmware on the Cortex-M4F: under 8 kB flash, 2 kB RAM"
read -r text data bss _ < <(arm-none-eabi-size target/thumbv7em-none-eabihf/release/inference | tail -1)
stack=$(sed -n 's/^peak stack: \([0-9]*\) bytes.*/\1/p' target/thumbv7em-none-eabihf-inference.log)
[ -n "$stack" ] || fail "the inference run printed no peak stack"
flash=$((text + data))
ram=$((data + bss + stack))
echo "flash $flash bytes (text $text + data $data); RAM $ram bytes (data $data + bss $bss + peak stack $stack)"
[ "$flash" -lt 8192 ] || fail "inference firmware flash $flash bytes is not under 8 kB"
[ "$ram" -lt 2048 ] || fail "inference firmware RAM $ram bytes is not under 2 kB"

step "the host comparison fails when an expected value is off by 2e-5"
for what in prediction loss weight accuracy residual; do
  bin=training
  [ "$what" = prediction ] && bin=inference
  [ "$what" = residual ] && bin=residual
  FERROFLOW_FIRMWARE_PERTURB=$what cargo build --release --target thumbv7em-none-eabihf --bin "$bin"
  status=0
  qemu mps2-an386 "target/thumbv7em-none-eabihf/release/$bin" >"target/perturbed-$what.log" || status=$?
  grep -E 'within|accuracy|FAIL|PASS' "target/perturbed-$what.log" | sed "s/^/  $what: /"
  [ "$status" = 1 ] || fail "with the expected $what perturbed, $bin exited $status instead of 1"
done

step "instructions per inference and per training step (qemu -icount shift=0)"
for board in $boards; do
  target=${board%%:*}
  machine=${board##*:}
  cargo build --release --features measure --target "$target"
  for bin in inference training; do
    status=0
    qemu "$machine" "target/$target/release/$bin" -icount shift=0 >"target/$target-$bin-measure.log" || status=$?
    [ "$status" = 0 ] || fail "measuring $bin on $machine: exit $status"
    echo "$target ($machine) $bin: $(grep -E '^instructions per' "target/$target-$bin-measure.log")"
  done
done
# Leave the images as measured for size: without the measuring code.
cargo build --release --target thumbv7em-none-eabihf

step "no panic path in inference and the training step (no-panic, fat LTO)"
cd "$root/tests/no-panic"
for opt in 3 s; do
  echo "opt-level $opt, no_std facade:"
  CARGO_PROFILE_RELEASE_OPT_LEVEL=$opt cargo run --release
done
echo "opt-level 3, facade with std:"
cargo run --release --features std

step "lints and formatting"
cargo clippy --release --all-targets -- -D warnings
cargo fmt --check
cd "$here"
for board in $boards; do
  cargo clippy --release --target "${board%%:*}" --all-features -- -D warnings
done
cargo fmt --check

step "done"
