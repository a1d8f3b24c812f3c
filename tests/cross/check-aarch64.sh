#!/bin/sh
# Builds core for aarch64 (cross gcc, static) with the hand-written switch and runs
# arch_smoke.c under qemu-user; its transcript must equal the native one.  Needs the Debian
# packages gcc-aarch64-linux-gnu, libc6-dev-arm64-cross and qemu-user (not part of `make test`:
# run it by hand, or `make cross-aarch64`).
set -e
out=${1:-build/cross}
mkdir -p "$out"
src="core/*.c sim/backend_sim.c core/switch_aarch64.S tests/cross/arch_smoke.c"
# shellcheck disable=SC2086
aarch64-linux-gnu-gcc -std=c11 -D_GNU_SOURCE -O2 -Icore -static -o "$out/arch_smoke.aarch64" $src -lm
# shellcheck disable=SC2086
cc -std=c11 -D_GNU_SOURCE -O2 -Icore -o "$out/arch_smoke.native" core/*.c sim/backend_sim.c \
    "core/switch_$(uname -m).S" tests/cross/arch_smoke.c -lm
"$out/arch_smoke.native" > "$out/native.txt"
qemu-aarch64 "$out/arch_smoke.aarch64" > "$out/aarch64.txt"
diff -u "$out/native.txt" "$out/aarch64.txt"
echo "aarch64 switch: transcript identical to $(uname -m) ($(wc -l < "$out/native.txt") lines)"
