# x86 cell blobs refused against the live system, each with its own errno and console message:
# digest of another system (ESTALE), a CPU another cell holds (EBUSY), CPU 0 (Linux keeps it),
# memory not the root's (EACCES), memory another cell holds (EADDRINUSE), RAM outside the cell
# pool, an IOAPIC pin another cell holds (EBADSLT), ports another cell holds (COM2) or the
# hypervisor's own console (COM1) (EADDRINUSE), a duplicate name (EEXIST); structural damage
# (guest range beyond the 48-bit guest-physical space, unknown flag bits) caught by the driver
# and, with the driver's checks off, by the hypervisor. Nothing is half-applied: CPUs come back,
# pool use unchanged.
# arch: x86
# timeout: 300

APIC=/etc/jailhouse/apic-demo.cell
# variant NAME: a copy of apic-demo.cell renamed to NAME ("x" first letter) for patching
variant() {
	cp $APIC /tmp/$1.cell
	printf 'x' | dd of=/tmp/$1.cell bs=1 seek=48 conv=notrunc 2>/dev/null
}
# append N bytes of zeros to blob F, return (echo) the old size; total_size follows
grow() {
	end=$(wc -c < $1)
	dd if=/dev/zero bs=$2 count=1 2>/dev/null >> $1
	blob_poke32 $1 8 $((end + $2))
	echo $end
}
# Offsets (revision 3): the descriptor at 48; flags 80, num_mem_regions 88, num_irqchips 92,
# num_pio_regions 96, cpu_set_offset 104, mem_regions_offset 108, irqchips_offset 112,
# pio_regions_offset 116.
REG=$(blob_peek32 $APIC 108)	# first memory region: the RAM (phys_start at +0)
CPUSET=$(blob_peek32 $APIC 104)
ONLINE=/sys/devices/system/cpu/online

check_output "CRC helper reproduces configgen's CRC" "^$(blob_peek32 $APIC 12)\$" blob_crc32 $APIC
check "module loads" insmod /lib/modules/jailhouse.ko
check "enable" jailhouse enable /etc/jailhouse/system.cell
used0=$(cat /sys/devices/jailhouse/mem_pool_used)
check "uart-demo created (holds CPU 1, RAM 0x3b000000, COM2 0x2f8-0x2ff, IOAPIC pin 3)" \
	jailhouse cell create /etc/jailhouse/uart-demo.cell

variant digest; printf '\377' | dd of=/tmp/digest.cell bs=1 seek=16 conv=notrunc 2>/dev/null
blob_reseal /tmp/digest.cell
check_fails_with "digest of another system: ESTALE" "another system configuration" \
	jailhouse cell create /tmp/digest.cell
check_output "... console says why" "refused \(-116\): .*was made for another system configuration" \
	jailhouse console

variant cpu; blob_poke32 /tmp/cpu.cell $CPUSET 2; blob_reseal /tmp/cpu.cell
check_fails_with "CPU 1 belongs to uart-demo: EBUSY" "not the root's.*busy" \
	jailhouse cell create /tmp/cpu.cell
check_output "... console says why" "refused \(-16\): CPU 1 is not the root's" jailhouse console

variant cpu0; blob_poke32 /tmp/cpu0.cell $CPUSET 5; blob_reseal /tmp/cpu0.cell
check_fails_with "CPU 0 (with CPU 2): Linux keeps it" "Linux could not give up a CPU of the cell" \
	jailhouse cell create /tmp/cpu0.cell
check_dmesg "... dmesg names CPU 0" "cannot take CPU 0 from Linux for cell \"xpic-demo\""
check_output "... Linux keeps CPUs 0, 2 and 3" "^0,2-3$" cat $ONLINE

variant hvmem; blob_poke32 /tmp/hvmem.cell $REG $((0x3a800000)); blob_reseal /tmp/hvmem.cell
check_fails_with "RAM in the hypervisor's memory: EACCES" \
	"not inside one root cell region of the same kind" jailhouse cell create /tmp/hvmem.cell
check_output "... console says why" \
	"refused \(-13\): cell configuration: a memory region of the cell is not inside one root.*\(0x3a800000\)" \
	jailhouse console

variant taken; blob_poke32 /tmp/taken.cell $REG $((0x3b000000)); blob_reseal /tmp/taken.cell
check_fails_with "RAM uart-demo holds: EADDRINUSE" "held by another cell" \
	jailhouse cell create /tmp/taken.cell
check_output "... console says why" "refused \(-98\): region 0x3b000000 is held by cell 1" \
	jailhouse console

variant linux; blob_poke32 /tmp/linux.cell $REG $((0x10000000)); blob_reseal /tmp/linux.cell
check_fails_with "RAM of root Linux outside the cell pool: refused by the driver" \
	"RAM Linux uses" jailhouse cell create /tmp/linux.cell
check_dmesg "... dmesg names the range" \
	"memory 0x10000000-0x100fffff is System RAM of Linux: reserve it on the kernel command line"

# apic-demo owns no IOAPIC pin: append an interrupt resource entry with pin 3 of the IOAPIC
variant irq; end=$(grow /tmp/irq.cell 32)
blob_poke32 /tmp/irq.cell 92 1
blob_poke32 /tmp/irq.cell 112 $end
blob_poke32 /tmp/irq.cell $end $((0xfec00000))	# address
blob_poke32 /tmp/irq.cell $((end + 16)) 8	# pin 3
blob_reseal /tmp/irq.cell
check_fails_with "IOAPIC pin 3 of uart-demo: EBADSLT" "interrupt of the cell is not the root's" \
	jailhouse cell create /tmp/irq.cell
check_output "... console says why" "refused \(-57\): interrupt 3 is not the root's" \
	jailhouse console

pio_variant() {	# pio_variant NAME BASE LENGTH: apic-demo with one port-I/O region
	variant $1; end=$(grow /tmp/$1.cell 8)
	blob_poke32 /tmp/$1.cell 96 1
	blob_poke32 /tmp/$1.cell 116 $end
	blob_poke32 /tmp/$1.cell $end $2
	blob_poke32 /tmp/$1.cell $((end + 4)) $3
	blob_reseal /tmp/$1.cell
}
# (a cell created against expectations is destroyed again, so the checks after stay meaningful)
pio_variant com2 $((0x2f8)) 8
check_fails_with "COM2's ports, held by uart-demo: EADDRINUSE" "Address already in use" \
	jailhouse cell create /tmp/com2.cell
jailhouse cell destroy xpic-demo 2>/dev/null
check_output "... console says why" "refused \(-98\): ports 0x2f8\+8: held by cell 1" jailhouse console
pio_variant com1 $((0x3f8)) 8
check_fails_with "COM1's ports, the hypervisor's console: refused" "Address already in use" \
	jailhouse cell create /tmp/com1.cell
jailhouse cell destroy xpic-demo 2>/dev/null
check_output "... console says why" "refused \(-98\): ports 0x3f8\+8: the hypervisor console's" \
	jailhouse console

variant ipa; blob_poke32 /tmp/ipa.cell $((REG + 12)) $((0x10000)); blob_reseal /tmp/ipa.cell
check_fails_with "guest RAM at 256 TiB, beyond the 48-bit guest-physical space: EOVERFLOW from the driver" \
	"beyond the guest-physical space stage 2 can map" jailhouse cell create /tmp/ipa.cell
check_dmesg "... the kernel log says why" \
	"cell configuration invalid: a guest address range beyond .*\(0x1000000000000\)"

variant flag; blob_poke32 /tmp/flag.cell 80 256; blob_reseal /tmp/flag.cell
check_fails_with "unknown cell flag bit: refused by the driver" "unknown flag bits" \
	jailhouse cell create /tmp/flag.cell

check_fails_with "duplicate name: EEXIST" "exists already" \
	jailhouse cell create /etc/jailhouse/uart-demo.cell
check_fails_with "the system blob is no cell: refused by the driver" "bad signature" \
	jailhouse cell create /etc/jailhouse/system.cell
head -c 200 $APIC > /tmp/short.cell
check_fails_with "truncated: refused by the driver" "truncated" jailhouse cell create /tmp/short.cell
check_output "after all that CPUs 2 and 3 are online" "^0,2-3$" cat $ONLINE

check "a valid cell is still accepted" jailhouse cell create $APIC
check "it runs" sh -c "jailhouse cell load apic-demo /usr/share/jailhouse/inmates/apic-demo.bin \
	-s samples=20 -a 0x1000 && jailhouse cell start apic-demo"
check "destroy both" sh -c 'jailhouse cell destroy apic-demo && jailhouse cell destroy uart-demo'
check_output "pool use back where it began" "^$used0\$" cat /sys/devices/jailhouse/mem_pool_used
check "disable" jailhouse disable

variant crc; printf 'y' | dd of=/tmp/crc.cell bs=1 seek=49 conv=notrunc 2>/dev/null
check "reload the module without its own checks" sh -c \
	'rmmod jailhouse && insmod /lib/modules/jailhouse.ko debug_skip_driver_checks=1'
check "enable" jailhouse enable /etc/jailhouse/system.cell
check_fails_with "driver checks off: the hypervisor finds the bad CRC itself" "checksum mismatch" \
	jailhouse cell create /tmp/crc.cell
check_output "... console says why" "cell configuration: checksum mismatch" jailhouse console
check_fails_with "driver checks off: the hypervisor finds the guest range beyond 48 bits" \
	"beyond the guest-physical space stage 2 can map" jailhouse cell create /tmp/ipa.cell
check_output "... console says why" \
	"refused \(-75\): cell configuration: a guest address range beyond .*\(0x1000000000000\)" \
	jailhouse console
check_fails_with "driver checks off: the hypervisor finds the unknown flag bit" "unknown flag bits" \
	jailhouse cell create /tmp/flag.cell
check_output "... console says why" "refused \(-92\): cell configuration: unknown flag bits" \
	jailhouse console
check_fails_with "driver checks off: CPU 0 still stays with Linux" "could not give up a CPU" \
	jailhouse cell create /tmp/cpu0.cell
check_output "CPUs back online" "^0-3$" cat $ONLINE
check_output "no cell" "^0$" sh -c 'ls /sys/devices/jailhouse/cells | wc -l'
check "disable" jailhouse disable
