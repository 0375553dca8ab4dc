#!/bin/bash
# make check: build everything for every arch (arm64; x86 on an amd64 host; ARMv7 with the armhf
# cross compiler make deps installs), run the host tests (configgen pytest, hypervisor C unit
# tests under ASan/UBSan, validator fuzzing) and the QEMU system tests of the arches built; end
# with one line "N passed, N failed".
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
python=/usr/bin/python3
out=$top/build/check
mkdir -p "$out"
passed=0
failed=0

count() {	# count PASSED FAILED STAGE
	passed=$((passed + $1))
	failed=$((failed + $2))
	echo "== $3: $1 passed, $2 failed"
}

# "N passed, N failed" as the last such line of a stage's output.
counts_from() {
	grep -Eo '[0-9]+ passed, [0-9]+ failed' "$1" | tail -1 | sed -E 's/([0-9]+) passed, ([0-9]+) failed/\1 \2/'
}

stage_build() {
	echo "== build"
	if make -j2 all > "$out/build.log" 2>&1; then
		count 1 0 build
	else
		tail -40 "$out/build.log"
		count 0 1 build
	fi
}

# ARCH=x86 is built natively: only on an amd64 host (its system tests need its build).
x86_host() {
	[ "$(dpkg --print-architecture 2>/dev/null)" = amd64 ]
}

stage_build_x86() {
	x86_host || { echo "== build x86: skipped (not an amd64 host)"; return 0; }
	echo "== build x86"
	if make -j2 ARCH=x86 all > "$out/build-x86.log" 2>&1; then
		count 1 0 "build x86"
	else
		tail -40 "$out/build-x86.log"
		count 0 1 "build x86"
	fi
}

# ARCH=arm (ARMv7) cross-builds with arm-linux-gnueabihf-gcc (make deps installs it).
arm_toolchain() {
	command -v arm-linux-gnueabihf-gcc >/dev/null
}

stage_build_arm() {
	arm_toolchain || { echo "== build arm: skipped (no arm-linux-gnueabihf-gcc)"; return 0; }
	echo "== build arm"
	if make -j2 ARCH=arm all > "$out/build-arm.log" 2>&1; then
		count 1 0 "build arm"
	else
		tail -40 "$out/build-arm.log"
		count 0 1 "build arm"
	fi
}

stage_pytest() {
	local dirs=() d
	for d in tests/*/; do
		ls "$d"test_*.py >/dev/null 2>&1 && dirs+=("$d")
	done
	[ ${#dirs[@]} -gt 0 ] || return 0
	echo "== python tests: ${dirs[*]}"
	$python -m pytest -q -p no:cacheprovider --junitxml="$out/pytest.xml" "${dirs[@]}" \
		> "$out/pytest.log" 2>&1
	local rc=$? p f
	read -r p f < <($python - "$out/pytest.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
try:
    root = ET.parse(sys.argv[1]).getroot()
except (OSError, ET.ParseError):
    print(0, 1); sys.exit()
suites = [root] if root.tag == "testsuite" else list(root)
tests = sum(int(s.get("tests", 0)) for s in suites)
bad = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
skipped = sum(int(s.get("skipped", 0)) for s in suites)
print(tests - bad - skipped, bad)
PY
)
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	[ "$f" -ne 0 ] && tail -60 "$out/pytest.log"
	count "$p" "$f" "python tests"
}

stage_unit() {
	grep -q '^unit-tests:' hv/Makefile 2>/dev/null || return 0
	echo "== hypervisor unit tests (host, ASan/UBSan)"
	make -j2 -C hv O="$top/build/hv-host" unit-tests > "$out/unit.log" 2>&1
	local rc=$? p f
	read -r p f < <(counts_from "$out/unit.log")
	p=${p:-0}; f=${f:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	[ "$f" -ne 0 ] && tail -40 "$out/unit.log"
	count "$p" "$f" "unit tests"
}

stage_fuzz() {
	echo "== config validator fuzzing (libFuzzer, ASan/UBSan, fixed seed)"
	if tests/fuzz/run.sh 200000 > "$out/fuzz.log" 2>&1; then
		count 1 0 "fuzzing ($(grep -o 'Done [0-9]* runs' "$out/fuzz.log"))"
	else
		tail -30 "$out/fuzz.log"
		count 0 1 fuzzing
	fi
	# ARMv7: the arm validator with the ARMv7 limits, seeded from build/arm/configs (GICv2 blobs)
	echo "== config validator fuzzing, ARMv7 (libFuzzer, ASan/UBSan, fixed seed)"
	if FUZZ_ARCH=arm tests/fuzz/run.sh 200000 > "$out/fuzz-arm.log" 2>&1; then
		count 1 0 "fuzzing arm ($(grep -o 'Done [0-9]* runs' "$out/fuzz-arm.log"))"
	else
		tail -30 "$out/fuzz-arm.log"
		count 0 1 "fuzzing arm"
	fi
	x86_host || return 0
	echo "== config validator fuzzing, x86 (libFuzzer, ASan/UBSan, fixed seed)"
	if FUZZ_ARCH=x86 tests/fuzz/run.sh 200000 > "$out/fuzz-x86.log" 2>&1; then
		count 1 0 "fuzzing x86 ($(grep -o 'Done [0-9]* runs' "$out/fuzz-x86.log"))"
	else
		tail -30 "$out/fuzz-x86.log"
		count 0 1 "fuzzing x86"
	fi
}

stage_system() {
	local tests=() skip=()
	echo "== system tests (QEMU)"
	rm -f "$out/system.counts"
	# the tests of an arch that was not built (x86: not an amd64 host; arm: no cross compiler)
	# are left out
	x86_host || skip+=(x86)
	arm_toolchain || skip+=(arm)
	[ ${#skip[@]} -gt 0 ] && mapfile -t tests < \
		<(grep -LE "^# *arch: *($(IFS='|'; echo "${skip[*]}")) *$" tests/system/*.sh)
	# two machines side by side: most tests leave a core idle while they wait for the guest
	$python tests/run-system.py --jobs "${SYSTEM_JOBS:-2}" --summary "$out/system.counts" \
		"${tests[@]}"
	local p f
	read -r p f < "$out/system.counts" 2>/dev/null || { p=0; f=1; }
	count "$p" "$f" "system tests"
}

# `make check` has run make deps already (JAILHOUSE_DEPS_READY); run directly, this script does.
if [ -z "${JAILHOUSE_DEPS_READY:-}" ]; then
	"$top/scripts/deps.sh" > "$out/deps.log" 2>&1 ||
		{ cat "$out/deps.log"; echo "0 passed, 1 failed"; exit 1; }
fi
stage_build
stage_build_x86
stage_build_arm
stage_pytest
stage_unit
stage_fuzz
stage_system
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
