# x86: the hypervisor memory and the cell pool kept from Linux by mem= alone (no memmap=): the
# kernel's e820 table ends at the limit, the BIOS's (/sys/firmware/memmap) still calls the
# memory RAM, and that is what the driver checks. Enable, apic-demo in a cell, destroy,
# disable; a hole and a device window are still refused, named with the BIOS map.
# arch: x86
# cmdline: none
# append: mem=928M

SYS=/etc/jailhouse/system.cell
SKIP=/sys/module/jailhouse/parameters/debug_skip_driver_checks

check_fails "the kernel command line has no memmap=" grep memmap= /proc/cmdline
check_fails "Linux has no RAM at the hypervisor memory" iomem_covers 3a000000 3a000fff "System RAM"
check "module loads" insmod /lib/modules/jailhouse.ko

# the config checks would refuse these blobs first: left to the driver's memory check
echo Y > $SKIP
cp $SYS /tmp/hole.cell
blob_poke32 /tmp/hole.cell 40 $((0x40000000))	# hypervisor_mem_base: above the 1 GiB of RAM
blob_reseal /tmp/hole.cell
check_fails_with "hypervisor memory in a hole: refused as not RAM" \
	"is not all RAM by the firmware's memory map" jailhouse enable /tmp/hole.cell
check_dmesg "dmesg names the range and the BIOS map" \
	"hypervisor memory 0x40000000-0x40ffffff is not RAM from 0x40000000 on \(a hole or a device window by the BIOS e820 map"
echo N > $SKIP

check "enable with the hypervisor memory above the mem= limit" jailhouse enable $SYS
check_output "apic-demo created in the pool above the limit" 'Cell "apic-demo" created' \
	jailhouse cell create /etc/jailhouse/apic-demo.cell
check "apic-demo loaded (written through the driver's mapping)" jailhouse cell load apic-demo \
	/usr/share/jailhouse/inmates/apic-demo.bin -s "samples=50" -a 0x1000
mark_console
check "apic-demo starts" jailhouse cell start apic-demo
check "apic-demo reports its latency" wait_console '^\[apic-demo\] .*latency'
check "cell destroy" jailhouse cell destroy apic-demo
check "disable" jailhouse disable
check "module unloads" rmmod jailhouse
