#!/bin/bash
# Fuzz the hypervisor's config validator with libFuzzer under ASan/UBSan.
#   tests/fuzz/run.sh [RUNS]      a fixed number of runs from a fixed seed (make check: 200000)
#   tests/fuzz/run.sh -t SECONDS  a timed run (bench/fuzz-config)
# Seeds: every blob the build made (build/configs/**.cell), each as a system blob and as a cell
# blob (modes 0-3 and 0x34-0x37: a 4-CPU system, as QEMU's), with and without a sealed CRC.
# FUZZ_ARCH=x86: the x86 validator, seeded from build/x86/configs, in build/fuzz-x86; FUZZ_ARCH=arm:
# the arm validator with the ARMv7 limits, seeded from build/arm/configs, in build/fuzz-arm.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
if [ "${FUZZ_ARCH:-arm64}" = x86 ]; then
	out=$top/build/fuzz-x86 configs=$top/build/x86/configs arch_flags=(-DFUZZ_X86)
elif [ "${FUZZ_ARCH:-arm64}" = arm ]; then
	out=$top/build/fuzz-arm configs=$top/build/arm/configs arch_flags=(-DFUZZ_ARM32)
else
	out=$top/build/fuzz configs=$top/build/configs arch_flags=()
fi
mkdir -p "$out/corpus" "$out/findings"
clang -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	"${arch_flags[@]}" -I"$top/hv/include" -I"$top/build/include" -o "$out/fuzz_config" \
	"$top/tests/fuzz/fuzz_config.c"
for blob in $(find "$configs" -name '*.cell' 2>/dev/null); do
	for mode in 00 01 02 03 34 35 36 37; do
		name=$out/corpus/seed-$mode-$(basename "$blob")
		[ -f "$name" ] || { printf "\\x$mode" > "$name"; cat "$blob" >> "$name"; }
	done
done
if [ "${1:-}" = "-t" ]; then
	limit=(-max_total_time="${2:-60}")
else
	limit=(-runs="${1:-200000}" -seed=1)
fi
cd "$out/findings"
# The corpus grows with what each run learns; findings (crash-*, leak-*, timeout-*) stay here.
"$out/fuzz_config" "${limit[@]}" -max_len=4096 -timeout=5 -print_final_stats=1 "$out/corpus" 2>&1 |
	tee "$out/last-run.log" | grep -E "^#[0-9]+ +DONE|^Done|ERROR|SUMMARY|stat::number_of_executed_units|stat::peak_rss" || true
exit "${PIPESTATUS[0]}"
