# Every kind of corrupt x86 system blob gets its own error, from the driver's checks and from the
# hypervisor's own (driver checks skipped), one validator in both (hv/core/config_check.c plus
# hv/arch/x86/config_check_x86.c, with the limits of asm/cfg_limits.h: 47-bit hypervisor address
# space, 48-bit guest-physical space, 2 MiB aligned hypervisor memory, xAPIC only); an arm64 blob
# is refused as another architecture's; Linux is unaffected and a good blob still enables.
# Also: enable twice -> EBUSY, disable while disabled -> a clear error, the root touching the
# hypervisor memory faults into the hypervisor, which reports it.
# arch: x86
# timeout: 300

SYS=/etc/jailhouse/system.cell
OUT=/tmp/bad.cell

# Offsets (revision 4): revision/arch 4, flags 16, num_cpus 20, CPU table at [24], hypervisor
# memory 40/48, debug console type 72, x86 platform 96 (pm timer u16, apic_mode u8, num_ioapics
# u8), IOAPIC 0 at 112 (address; pins: byte 130), root_cell 352: num_mem_regions 392,
# mem_regions_offset 412.
region_at() {	# region_at PHYS: offset of the root's memory region starting there
	off=$(blob_peek32 $OUT 412); n=$(blob_peek32 $OUT 392); i=0
	while [ $i -lt $n ] && [ $(blob_peek32 $OUT $((off + 32 * i))) -ne $(($1)) ]; do
		i=$((i + 1))
	done
	echo $((off + 32 * i))
}
make_bad() {	# KIND -> $OUT
	cp $SYS $OUT
	case $1 in
	signature) blob_poke32 $OUT 0 0x12345678 ;;
	revision) blob_poke32 $OUT 4 $((99 | (2 << 16))) ;;
	arm64) blob_poke32 $OUT 4 $((4 | (1 << 16))); blob_reseal $OUT ;;	# an arm64 blob
	arch) blob_poke32 $OUT 4 $((4 | (7 << 16))) ;;	# revision 4, arch 7
	crc) blob_poke32 $OUT 156 0x41414141 ;;
	truncated) head -c $(($(wc -c < $SYS) - 64)) $SYS > $OUT ;;
	count) blob_poke32 $OUT 20 0x7fffffff; blob_reseal $OUT ;;
	regions) blob_poke32 $OUT 392 0x10000; blob_reseal $OUT ;;
	overlap)	# grow the root's Linux RAM at 1 MiB into the hypervisor memory
		blob_poke32 $OUT $(($(region_at 0x100000) + 16)) $((0x3a000000)); blob_reseal $OUT ;;
	flags) blob_poke32 $OUT 16 $((0x80000001)); blob_reseal $OUT ;;
	hvva) blob_poke32 $OUT 116 0x8000; blob_reseal $OUT ;;	# IOAPIC above 2^47
	ipa)	# the root's highest region (sorted by address, 1:1) to beyond 2^48
		off=$(blob_peek32 $OUT 412); n=$(blob_peek32 $OUT 392)
		blob_poke32 $OUT $((off + 32 * (n - 1) + 4)) 0x10000
		blob_poke32 $OUT $((off + 32 * (n - 1) + 12)) 0x10000; blob_reseal $OUT ;;
	hvalign) blob_poke32 $OUT 40 $((0x3a001000)); blob_poke32 $OUT 48 $((0xfff000)); blob_reseal $OUT ;;
	x2apic) blob_poke32 $OUT 96 $(( $(blob_peek32 $SYS 96) & ~0xff0000 | 2 << 16 )); blob_reseal $OUT ;;
	ioapic) blob_poke32 $OUT 128 0; blob_reseal $OUT ;;	# IOAPIC with 0 pins
	apicid) blob_poke32 $OUT $(($(blob_peek32 $SYS 24) + 16)) 255; blob_reseal $OUT ;;
	console) blob_poke32 $OUT 72 7; blob_reseal $OUT ;;
	esac
}

expect_refusal() {	# KIND REGEX [CONSOLE-REGEX: what the hypervisor says, driver checks off]
	make_bad $1
	check_fails_with "$1: refused with its own error ($MODE)" "$2" jailhouse enable $OUT
	check_output "$1: Linux unaffected, not enabled ($MODE)" "^0$" cat /sys/devices/jailhouse/enabled
	if [ -n "${3:-}" ] && [ "$MODE" = "hypervisor checks" ]; then
		check_output "$1: the hypervisor console names the problem" "$3" jailhouse console
	fi
}

run_all() {
	expect_refusal signature "bad signature"
	expect_refusal revision "unsupported format revision"
	expect_refusal arm64 "another architecture"
	expect_refusal arch "another architecture"
	expect_refusal crc "checksum mismatch"
	expect_refusal count "count exceeds the limits|more CPUs than the hypervisor was built for"
	expect_refusal regions "outside the blob|count exceeds"
	expect_refusal overlap "overlaps the hypervisor memory" "config: a root memory region overlaps"
	expect_refusal flags "unknown flag bits" "config: unknown flag bits.*\(0x80000001\)"
	expect_refusal hvva "beyond the hypervisor's address space" \
		"config: hypervisor memory or a device it maps beyond.*\(0x8000fec00000\)"
	expect_refusal ipa "beyond the guest-physical space" \
		"config: a guest address range beyond .*\(0x10000fffc0000\)"
	expect_refusal x2apic "hardware this hypervisor build does not support" \
		"config: valid, but for hardware this hypervisor build does not support.*\(0x2\)"
	expect_refusal ioapic "invalid platform description" \
		"config: invalid platform description.*\(0x0\)"
	expect_refusal apicid "invalid CPU table" "config: invalid CPU table or CPU set.*\(0xff\)"
	expect_refusal console "invalid console" "config: invalid console"
}

check "module loads" insmod /lib/modules/jailhouse.ko
check_output "CRC helper agrees with the blob" "^$(blob_peek32 $SYS 12)\$" blob_crc32 $SYS
MODE="driver checks"
run_all
expect_refusal truncated "truncated"
expect_refusal hvalign "unusable hypervisor memory"
check_fails_with "empty file refused" "cannot be valid|Invalid argument" jailhouse enable /dev/null
check_fails_with "missing file explained" "cannot read" jailhouse enable /nonexistent.cell

rmmod jailhouse
check "module loads with driver checks off" insmod /lib/modules/jailhouse.ko debug_skip_driver_checks=1
MODE="hypervisor checks"
run_all
rmmod jailhouse
check "module loads again" insmod /lib/modules/jailhouse.ko

echo 0 > /sys/devices/system/cpu/cpu3/online
check_fails_with "enable with a root CPU offline: explained" "bring all CPUs online" \
	jailhouse enable $SYS
echo 1 > /sys/devices/system/cpu/cpu3/online
check "good blob still enables" jailhouse enable $SYS
check_fails_with "enable twice: EBUSY" "already enabled.*busy" jailhouse enable $SYS

# the root's user-space #GP on the refused access is expected here: no "traps:" line for it
echo 0 > /proc/sys/debug/exception-trace
hv_mem_read() {
	devmem 0x3a800000 32
	echo "status $?"
}
check_output "root reading hypervisor memory gets a fault (SIGSEGV from the #GP)" "status 139" \
	hv_mem_read
check_output "hypervisor reported the access with address and RIP" \
	'FATAL: nested page fault on CPU [0-3] \(cell "root-linux"\): (guest-physical 0x[0-9a-f]+, )?ESR 0x400 PC 0x[0-9a-f]+ FAR 0x3a800000' \
	jailhouse console
check "disable" jailhouse disable
check_fails_with "disable while disabled: clear error" "not enabled" jailhouse disable
check "enable after all that" jailhouse enable $SYS
check_output "console readable while enabled (system.dts shares it)" "CPU 0 activated" \
	jailhouse console
check "disable" jailhouse disable

cp $SYS $OUT
blob_poke32 $OUT 16 0	# clear HVCFG_SYS_VIRTUAL_DEBUG_CONSOLE
blob_reseal $OUT
check "enable with the console not shared" jailhouse enable $OUT
check_fails_with "console not shared by this config: explained" "virtual-debug-console" \
	jailhouse console
check "disable" jailhouse disable
