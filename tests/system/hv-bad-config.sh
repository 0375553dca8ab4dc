# Every kind of corrupt system blob gets its own error, from the driver's checks and from the
# hypervisor's own (driver checks skipped), one validator in both (hv/core/config_check.c, with
# the arch limits of asm/cfg_limits.h: EL2 address space, 40-bit IPA, hypervisor memory
# placement); Linux is unaffected and a good blob still enables.
# Also: enable twice -> EBUSY, disable while disabled -> a clear error, memory outside the
# root cell faults into the hypervisor.
# timeout: 240

SYS=/etc/jailhouse/system.cell
OUT=/tmp/bad.cell

# Offsets (revision 4): num_cpus 20, hypervisor memory 40/48, platform section (the GIC) 96,
# root_cell 352: flags +32 (384), num_mem_regions +40 (392), mem_regions_offset +60 (412).
make_bad() {	# KIND -> $OUT
	cp $SYS $OUT
	case $1 in
	signature) blob_poke32 $OUT 0 0x12345678 ;;
	revision) blob_poke32 $OUT 4 $((99 | (1 << 16))) ;;
	arch) blob_poke32 $OUT 4 $((4 | (7 << 16))) ;;	# revision 4, arch 7
	crc) blob_poke32 $OUT 156 0x41414141 ;;
	truncated) head -c $(($(wc -c < $SYS) - 64)) $SYS > $OUT ;;
	count) blob_poke32 $OUT 20 0x7fffffff; blob_reseal $OUT ;;
	regions) blob_poke32 $OUT 392 0x10000; blob_reseal $OUT ;;
	overlap)	# grow the root's cell pool (0x68000000) into the hypervisor memory
		off=$(blob_peek32 $OUT 412); n=$(blob_peek32 $OUT 392); i=0
		while [ $i -lt $n ] && [ $(blob_peek32 $OUT $((off + 32 * i))) -ne $((0x68000000)) ]; do
			i=$((i + 1))
		done
		blob_poke32 $OUT $((off + 32 * i + 16)) 0x18000000; blob_reseal $OUT ;;
	flags) blob_poke32 $OUT 16 $((0x80000001)); blob_reseal $OUT ;;
	rootdirect) blob_poke32 $OUT 384 $(($(blob_peek32 $OUT 384) | 0x10)); blob_reseal $OUT ;;
	el2va) blob_poke32 $OUT 100 0x80; blob_reseal $OUT ;;	# GICD beyond 512 GiB
	ipa)	# the root's highest region (sorted by address) to beyond 1 TiB
		off=$(blob_peek32 $OUT 412); n=$(blob_peek32 $OUT 392)
		blob_poke32 $OUT $((off + 32 * (n - 1) + 20)) 0x100; blob_reseal $OUT ;;
	hvalign) blob_poke32 $OUT 40 $((0x7f801000)); blob_poke32 $OUT 48 $((0x7ff000)); blob_reseal $OUT ;;
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
	expect_refusal arch "another architecture"
	expect_refusal crc "checksum mismatch"
	expect_refusal count "count exceeds the limits|more CPUs than the hypervisor was built for"
	expect_refusal regions "outside the blob|count exceeds"
	expect_refusal overlap "overlaps the hypervisor memory" "config: a root memory region overlaps"
	expect_refusal flags "unknown flag bits" "config: unknown flag bits.*\(0x80000001\)"
	# HVCFG_CELL_IRQ_DIRECT on the root cell (configgen: rule irq-delivery): never
	expect_refusal rootdirect "direct interrupt delivery .* for the root cell" \
		"config: direct interrupt delivery \(interrupt-delivery"
	expect_refusal el2va "beyond the hypervisor's address space" \
		"config: hypervisor memory or a device it maps beyond.*\(0x8008000000\)"
	expect_refusal ipa "beyond the guest-physical space" \
		"config: a guest address range beyond .*\(${LAST_REGION:-0x8000000000}\)"
}

check "module loads" insmod /lib/modules/jailhouse.ko
check_output "CRC helper agrees with the blob" "^$(blob_peek32 $SYS 12)\$" blob_crc32 $SYS
MODE="driver checks"
run_all
expect_refusal truncated "truncated"
# (with the driver's checks off the bootstrap refuses it before the validator: it maps 2 MiB blocks)
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
echo 0 > /sys/devices/system/cpu/cpu3/online
check_fails_with "disable with a CPU offline: explained" "bring all CPUs online" jailhouse disable
echo 1 > /sys/devices/system/cpu/cpu3/online
check_fails_with "enable twice: EBUSY" "already enabled.*busy" jailhouse enable $SYS

hv_mem_read() {
	devmem 0x7f800000 32
	echo "status $?"
}
check_output "root reading hypervisor memory gets a bus error (SIGBUS)" "status 135" hv_mem_read
check "disable" jailhouse disable
check_output "hypervisor reported the access with address and PC" \
	"Unhandled data read at 0x7f800000, size 4, PC 0x" jailhouse console
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
