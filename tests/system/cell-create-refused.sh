# Cell blobs refused against the live system, each with its own errno and console message:
# digest of another system (ESTALE), a CPU another cell holds (EBUSY), memory not the root's
# (EACCES), memory another cell holds (EADDRINUSE), an interrupt another cell holds (EBADSLT),
# a duplicate name (EEXIST); structural damage (guest range beyond the IPA space, unknown flag
# bits) caught by the driver and, with the driver's checks off, by the hypervisor: the same
# validator (hv/core/config_check.c) in both. Nothing is half-applied: CPUs come back, pool use
# unchanged.
# timeout: 300

GIC=/etc/jailhouse/gic-demo.cell
# variant NAME: a copy of gic-demo.cell renamed to NAME ("x" first letter) for patching
variant() {
	cp $GIC /tmp/$1.cell
	printf 'x' | dd of=/tmp/$1.cell bs=1 seek=48 conv=notrunc 2>/dev/null
}
# Offsets (revision 3): the descriptor at 48; flags 80, num_irqchips 92, cpu_set_offset 104,
# mem_regions_offset 108, irqchips_offset 112.
REG=$(blob_peek32 $GIC 108)	# first memory region: the RAM (phys_start at +0)
CPUSET=$(blob_peek32 $GIC 104)

check_output "CRC helper reproduces configgen's CRC" "^$(blob_peek32 $GIC 12)\$" blob_crc32 $GIC
check "module loads" insmod /lib/modules/jailhouse.ko
check "enable" jailhouse enable /etc/jailhouse/system.cell
used0=$(cat /sys/devices/jailhouse/mem_pool_used)
check "smp-demo created (holds CPUs 1-2, RAM 0x78000000, SPI 34)" \
	jailhouse cell create /etc/jailhouse/smp-demo.cell

variant digest; printf '\377' | dd of=/tmp/digest.cell bs=1 seek=16 conv=notrunc 2>/dev/null
blob_reseal /tmp/digest.cell
check_fails_with "digest of another system: ESTALE" "another system configuration" \
	jailhouse cell create /tmp/digest.cell
check_output "... console says why" "was made for another system configuration" jailhouse console

variant cpu; blob_poke32 /tmp/cpu.cell $CPUSET 2; blob_reseal /tmp/cpu.cell
check_fails_with "CPU 1 belongs to smp-demo: EBUSY" "not the root's.*busy" \
	jailhouse cell create /tmp/cpu.cell
check_output "... console says why" "refused \(-16\): CPU 1 is not the root's" jailhouse console

variant hvmem; blob_poke32 /tmp/hvmem.cell $REG $((0x7f800000)); blob_reseal /tmp/hvmem.cell
check_fails_with "RAM in the hypervisor's memory: EACCES" "not inside one root cell region of the same kind" \
	jailhouse cell create /tmp/hvmem.cell
check_output "... console says why" \
	"refused \(-13\): cell configuration: a memory region of the cell is not inside one root.*\(0x7f800000\)" \
	jailhouse console

variant taken; blob_poke32 /tmp/taken.cell $REG $((0x78000000)); blob_reseal /tmp/taken.cell
check_fails_with "RAM smp-demo holds: EADDRINUSE" "held by another cell" \
	jailhouse cell create /tmp/taken.cell
check_output "... console says why" "refused \(-98\): region 0x78000000 is held by cell 1" \
	jailhouse console

# gic-demo owns no SPI: append an interrupt resource entry with SPI 34 of the distributor
variant irq; end=$(wc -c < /tmp/irq.cell)
dd if=/dev/zero bs=32 count=1 2>/dev/null >> /tmp/irq.cell
blob_poke32 /tmp/irq.cell 8 $((end + 32))	# total_size
blob_poke32 /tmp/irq.cell 92 1
blob_poke32 /tmp/irq.cell 112 $end
blob_poke32 /tmp/irq.cell $end $(blob_peek32 /etc/jailhouse/system.cell 96)	# address: gicd_base
blob_poke32 /tmp/irq.cell $((end + 4)) $(blob_peek32 /etc/jailhouse/system.cell 100)
blob_poke32 /tmp/irq.cell $((end + 12)) 32	# pin_base
blob_poke32 /tmp/irq.cell $((end + 16)) 4	# pin 34
blob_reseal /tmp/irq.cell
check_fails_with "SPI 34 of smp-demo: EBADSLT" "interrupt of the cell is not the root's" \
	jailhouse cell create /tmp/irq.cell
check_output "... console says why" "refused \(-57\): interrupt 34" jailhouse console

variant ipa; blob_poke32 /tmp/ipa.cell $((REG + 12)) 256; blob_reseal /tmp/ipa.cell
check_fails_with "guest RAM at 1 TiB, beyond the 40-bit IPA space: EOVERFLOW from the driver" \
	"beyond the guest-physical space stage 2 can map" jailhouse cell create /tmp/ipa.cell
check_dmesg "... the kernel log says why" \
	"cell configuration invalid: a guest address range beyond .*\(0x10000000000\)"

variant flag; blob_poke32 /tmp/flag.cell 80 256; blob_reseal /tmp/flag.cell
check_fails_with "unknown cell flag bit: refused by the driver" "unknown flag bits" \
	jailhouse cell create /tmp/flag.cell

check_fails_with "duplicate name: EEXIST" "exists already" \
	jailhouse cell create /etc/jailhouse/smp-demo.cell
check_fails_with "the system blob is no cell: refused by the driver" "bad signature" \
	jailhouse cell create /etc/jailhouse/system.cell
head -c 200 $GIC > /tmp/short.cell
check_fails_with "truncated: refused by the driver" "truncated" jailhouse cell create /tmp/short.cell
check_output "after all that CPU 3 is online" "^0,3$" cat /sys/devices/system/cpu/online

check "a valid cell is still accepted" jailhouse cell create $GIC
check "destroy both" sh -c 'jailhouse cell destroy gic-demo && jailhouse cell destroy smp-demo'
check_output "pool use back where it began" "^$used0\$" cat /sys/devices/jailhouse/mem_pool_used
check "disable" jailhouse disable

variant crc; printf 'y' | dd of=/tmp/crc.cell bs=1 seek=49 conv=notrunc 2>/dev/null
check "reload the module without its own checks" sh -c \
	'rmmod jailhouse && insmod /lib/modules/jailhouse.ko debug_skip_driver_checks=1'
check "enable" jailhouse enable /etc/jailhouse/system.cell
check_fails_with "driver checks off: the hypervisor finds the bad CRC itself" "checksum mismatch" \
	jailhouse cell create /tmp/crc.cell
check_output "... console says why" "cell configuration: checksum mismatch" jailhouse console
check_fails_with "driver checks off: the hypervisor finds the guest range beyond the IPA space" \
	"beyond the guest-physical space stage 2 can map" jailhouse cell create /tmp/ipa.cell
check_output "... console says why" \
	"refused \(-75\): cell configuration: a guest address range beyond .*\(0x10000000000\)" \
	jailhouse console
check_fails_with "driver checks off: the hypervisor finds the unknown flag bit" "unknown flag bits" \
	jailhouse cell create /tmp/flag.cell
check_output "... console says why" "refused \(-92\): cell configuration: unknown flag bits" \
	jailhouse console
check_output "CPU 3 back online" "^0-3$" cat /sys/devices/system/cpu/online
check "disable" jailhouse disable
