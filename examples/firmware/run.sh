#!/usr/bin/env bash
# The embedded checks of ferroflow, for CI and by hand (from anywhere):
#   bash examples/firmware/run.sh
#
# 1. Installs what it needs if missing (tools.sh): qemu-system-arm and arm-none-eabi-size
#    (Debian packages qemu-system-arm, binutils-arm-none-eabi) and the three Rust targets.
# 2. For a Cortex-M4F (MPS2 AN386), a Cortex-M3 (LM3S6965) and a Cortex-M0 (micro:bit):
#    builds every image (inference, training, residual: a graph network on the digits;
#    sine_f32, sine_int8: TFLM's hello-world model; digits_f32, digits_int8: the whole
#    digits test set; digits_training: that network trained on the device), shows that no image holds a panic handler or an allocator, prints
#    their sizes, and runs each under QEMU with a timeout (a run that never exits fails
#    instead of hanging). Each image exits 0 only if it reproduced the host's results (the
#    int8 ones bit for bit).
# 3. Shows that the comparison can fail: with one expected value perturbed, each of eight
#    checks must exit 1 (three builds, each perturbing at most one check per image).
# 4. Holds the inference firmware to its budget on the Cortex-M4F, and the int8 sine
#    model to its budget on the Cortex-M0: under 8 kB of flash and 2 kB of RAM (statics
#    plus the measured peak stack); and the digits' training on the device (on the
#    Cortex-M4F) to 64 kB of RAM.
# 5. Counts instructions per inference (every inference image) and per training step
#    under `-icount shift=0`.
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
bash "$here/tools.sh"

images="inference training residual sine_f32 sine_int8 digits_f32 digits_int8"
# bins NAME...: `--bin NAME` for each.
bins() { for bin in "$@"; do printf -- '--bin %s ' "$bin"; done; }

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
  here_images=$images
  # Training the digits needs 34 kB of RAM, more than the micro:bit's 16 kB: it runs on the M4F.
  [ "$target" = thumbv7em-none-eabihf ] && here_images="$images digits_training"
  cargo build --release --target "$target" $(bins $here_images)
  for bin in $here_images; do
    elf="target/$target/release/$bin"
    expect_clean "$elf"
    arm-none-eabi-size "$elf"
  done
  for bin in $here_images; do
    step "$target on $machine: $bin"
    status=0
    qemu "$machine" "target/$target/release/$bin" | tee "target/$target-$bin.log" || status=$?
    [ "$status" = 124 ] && fail "$bin on $machine did not exit within ${run_timeout}s"
    [ "$status" = 0 ] || fail "$bin on $machine exited $status"
  done
done

# budget NAME TARGET FLASH RAM: the image's flash (text + data) under FLASH bytes (- for no
# limit) and its RAM (data + bss + the peak stack its run printed) under RAM bytes.
budget() {
  local name=$1 target=$2 flash_limit=$3 ram_limit=$4 text data bss stack flash ram
  read -r text data bss _ < <(arm-none-eabi-size "target/$target/release/$name" | tail -1)
  stack=$(sed -n 's/^peak stack: \([0-9]*\) bytes.*/\1/p' "target/$target-$name.log")
  [ -n "$stack" ] || fail "the $name run printed no peak stack"
  flash=$((text + data))
  ram=$((data + bss + stack))
  echo "$name on $target: flash $flash bytes (text $text + data $data); RAM $ram bytes (data $data + bss $bss + peak stack $stack)"
  [ "$flash_limit" = - ] || [ "$flash" -lt "$flash_limit" ] ||
    fail "$name flash $flash bytes is not under $flash_limit"
  [ "$ram" -lt "$ram_limit" ] || fail "$name RAM $ram bytes is not under $ram_limit"
}

step "budgets: inference under 8 kB flash and 2 kB RAM; training the digits under 64 kB RAM"
budget inference thumbv7em-none-eabihf 8192 2048
budget sine_int8 thumbv6m-none-eabi 8192 2048
budget digits_training thumbv7em-none-eabihf - 65536

step "the host comparison fails when an expected value is off by 2e-5 (or an int8 one by 1)"
# Three builds: each perturbs at most one check of each image.
for group in prediction,loss,residual,sine,digits,device weight accuracy; do
  FERROFLOW_FIRMWARE_PERTURB=$group cargo build --release --target thumbv7em-none-eabihf \
    $(bins inference training residual sine_int8 digits_int8 digits_training)
  for what in ${group//,/ }; do
    case $what in
      prediction) bin=inference ;;
      residual) bin=residual ;;
      sine) bin=sine_int8 ;;
      digits) bin=digits_int8 ;;
      device) bin=digits_training ;;
      *) bin=training ;;
    esac
    status=0
    qemu mps2-an386 "target/thumbv7em-none-eabihf/release/$bin" >"target/perturbed-$what.log" || status=$?
    grep -E 'within|accuracy|identical|FAIL|PASS' "target/perturbed-$what.log" | sed "s/^/  $what: /"
    [ "$status" = 1 ] || fail "with the expected $what perturbed, $bin exited $status instead of 1"
  done
done

step "instructions per inference and per training step (qemu -icount shift=0)"
for board in $boards; do
  target=${board%%:*}
  machine=${board##*:}
  measured="inference training sine_f32 sine_int8 digits_f32 digits_int8"
  [ "$target" = thumbv7em-none-eabihf ] && measured="$measured digits_training"
  cargo build --release --features measure --target "$target" $(bins $measured)
  for bin in $measured; do
    status=0
    qemu "$machine" "target/$target/release/$bin" -icount shift=0 >"target/$target-$bin-measure.log" || status=$?
    [ "$status" = 0 ] || fail "measuring $bin on $machine: exit $status"
    echo "$target ($machine) $bin: $(grep -E '^instructions per' "target/$target-$bin-measure.log")"
  done
done
# Leave the images as measured for size: without the measuring code.
cargo build --release --target thumbv7em-none-eabihf $(bins $images digits_training)

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
