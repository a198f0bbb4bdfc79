#!/usr/bin/env bash
# Installs what the embedded checks (run.sh) need, if missing: qemu-system-arm and
# arm-none-eabi-size (Debian packages qemu-system-arm, binutils-arm-none-eabi) and the
# three Rust targets. run.sh calls it; CI calls it before its lanes part, so that apt and
# rustup never run twice at once.
set -euo pipefail
if ! command -v qemu-system-arm >/dev/null || ! command -v arm-none-eabi-size >/dev/null; then
  sudo=""
  if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq qemu-system-arm binutils-arm-none-eabi >/dev/null
fi
qemu-system-arm --version | head -1
rustup target add thumbv7em-none-eabihf thumbv7m-none-eabi thumbv6m-none-eabi
