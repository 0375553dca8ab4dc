# The upstream Jailhouse recipe: no reserved-memory at all (QEMU's own DTB), Linux kept off the
# hypervisor memory and the cell pool by mem=640M alone (its RAM ends at 0x67ffffff; above the
# limit there is no memmap, pfn_valid() is false). The driver takes RAM by the firmware's
# account (the DT /memory nodes) that Linux does not use: enable, gic-demo in a cell (its RAM
# written through memremap), destroy; the root pings ivshmem-demo over the echo link (its memory
# above the limit, mapped by jailhouse_ivshmem.ko); disable. Still refused: hypervisor memory that is Linux's
# System RAM, a hole beyond the RAM and a device window, and a cell whose loadable memory lies
# beyond the RAM, each named with its remedy.
# dtb: qemu
# append: mem=640M
# timeout: 90

SYS=/etc/jailhouse/system.cell
INM=/usr/share/jailhouse/inmates/gic-demo.bin

check "Linux's RAM ends at the mem= limit" iomem_covers 40000000 67ffffff "System RAM"
check_fails "no System RAM above it (pool)" iomem_covers 68000000 68000fff "System RAM"
check_fails "no System RAM above it (hypervisor memory)" iomem_covers 7f800000 7f800fff "System RAM"
check_fails "no reserved-memory in the device tree" ls /proc/device-tree/reserved-memory
check "module loads" insmod /lib/modules/jailhouse.ko

# hyp BASE: a copy of the system blob whose hypervisor memory starts at BASE (8 MiB)
hyp() {
	cp $SYS /tmp/hyp-$1.cell
	blob_poke32 /tmp/hyp-$1.cell 40 $(($1))
	blob_poke32 /tmp/hyp-$1.cell 44 0
	blob_reseal /tmp/hyp-$1.cell
}
# the config checks would refuse these blobs first (a root region overlaps, alignment): the
# driver's memory check is what is tested here, so they are left to it
SKIP=/sys/module/jailhouse/parameters/debug_skip_driver_checks
echo Y > $SKIP
hyp 0x60000000
check_fails_with "hypervisor memory in Linux's RAM: refused, mem= named as a remedy" \
	"used by Linux: reserve it in the device tree .*mem= limit below it" \
	jailhouse enable /tmp/hyp-0x60000000.cell
check_dmesg "dmesg names that range" "hypervisor memory 0x60000000-0x607fffff is used by Linux"
hyp 0x7fc00000
check_fails_with "hypervisor memory running past the RAM's end: refused as not RAM" \
	"is not all RAM by the firmware's memory map" jailhouse enable /tmp/hyp-0x7fc00000.cell
check_dmesg "dmesg names the range and where the RAM ends" \
	"hypervisor memory 0x7fc00000-0x803fffff is not RAM from 0x80000000 on"
hyp 0x08000000
check_fails_with "hypervisor memory on the GIC: refused as not RAM" \
	"is not all RAM by the firmware's memory map" jailhouse enable /tmp/hyp-0x08000000.cell
check_dmesg "dmesg names the device window" \
	"hypervisor memory 0x8000000-0x87fffff is not RAM from 0x8000000 on"
echo N > $SKIP
check_output "nothing enabled so far" "^0$" cat /sys/devices/jailhouse/enabled

check "enable with the hypervisor memory above the mem= limit" jailhouse enable $SYS
GIC=/etc/jailhouse/gic-demo.cell
cp $GIC /tmp/hole-cell.cell
blob_poke32 /tmp/hole-cell.cell $(blob_peek32 $GIC 108) $((0x80000000))	# its loadable RAM
blob_reseal /tmp/hole-cell.cell
check_fails_with "a cell whose loadable memory lies beyond the RAM: refused before the hypervisor" \
	"loadable memory of the cell is not all RAM by the firmware's memory map" \
	jailhouse cell create /tmp/hole-cell.cell
check_dmesg "dmesg names the cell's range" \
	"cell \"gic-demo\": loadable memory 0x80000000-0x800fffff is not RAM from 0x80000000 on"
check_output "gic-demo created in the pool above the limit" 'Cell "gic-demo" created' \
	jailhouse cell create /etc/jailhouse/gic-demo.cell
check "gic-demo loaded (written through the driver's mapping)" \
	jailhouse cell load gic-demo $INM -s "con=hvc samples=50" -a 0x1000
mark_console
check "gic-demo starts" jailhouse cell start gic-demo
check "gic-demo reports its latency" wait_console '^\[gic-demo\] latency ns: '
check_output "gic-demo running" "^running$" cat /sys/devices/jailhouse/cells/1/state
check "cell destroy" jailhouse cell destroy gic-demo

# the echo link's memory (0x7d800000) is above the limit too: the root's end maps it (memremap)
check "jailhouse_ivshmem.ko loads" insmod /lib/modules/jailhouse_ivshmem.ko
check "a character device for the echo link" wait_for 10 sh -c 'ls /dev/ivshmem*'
DEV=$(ls /dev/ivshmem* 2>/dev/null | head -1)
check "ivshmem-demo created" jailhouse cell create /etc/jailhouse/ivshmem-demo.cell
mark_console
check "ivshmem-demo started (mode=echo)" jailhouse cell load ivshmem-demo \
	/usr/share/jailhouse/inmates/ivshmem-demo.bin -s "con=hvc mode=echo" -a 0x1000
check "... and running" jailhouse cell start ivshmem-demo
check "ivshmem-demo is READY" wait_console '^\[ivshmem-demo\] ivshmem-demo: state READY'
check_output "root -> ivshmem-demo over the link above the limit: 50 round trips, all checked" \
	"ping: count=50 bad=0 " ivshmem-echo $DEV --ping 1 -n 50 -s 4096
check "ivshmem-demo destroyed" jailhouse cell destroy ivshmem-demo
check "jailhouse_ivshmem.ko unloads" rmmod jailhouse_ivshmem
check "disable" jailhouse disable
check_output "Linux has all CPUs back" "^0-3$" cat /sys/devices/system/cpu/online
check "module unloads" rmmod jailhouse
