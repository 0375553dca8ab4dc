# Jailhouse's own recipe for its qemu-arm64 configs: QEMU's device tree, no reserved-memory, the
# hypervisor (0x7fc00000) and the cells' memory kept from Linux by mem=768M alone. The imported
# upstream-shaped system and inmate-demo cell (built by mk/import-upstream.mk from
# tests/configgen/jailhouse/; branch imp) enable, run gic-demo and go away again. The driver takes
# the RAM above the limit (no memmap there): the firmware's /memory says RAM, Linux does not use it.
# dtb: qemu
# append: mem=768M
# timeout: 90

SYS=/etc/jailhouse/jh-import-system.cell
CELL=/etc/jailhouse/jh-import-inmate-demo.cell

check_fails "no reserved-memory: mem= alone keeps Linux off" ls /proc/device-tree/reserved-memory
check "Linux's RAM ends at 768 MiB" iomem_covers 40000000 6fffffff "System RAM"
check_fails "none above" iomem_covers 70000000 70000fff "System RAM"
check "module loads" insmod /lib/modules/jailhouse.ko
check "enable the imported system (hypervisor memory above the limit)" jailhouse enable $SYS
check_output "the imported cell created" 'Cell "inmate-demo" created' jailhouse cell create $CELL
mark_console
check "gic-demo loaded into it" jailhouse cell load inmate-demo \
	/usr/share/jailhouse/inmates/jh-import-gic-demo.bin -s "con=hvc samples=100" -a 0x1000
check "started" jailhouse cell start inmate-demo
check "gic-demo reports" wait_console '^\[inmate-demo\] latency ns: '
check "destroy" jailhouse cell destroy inmate-demo
check "disable" jailhouse disable
check_output "Linux has all CPUs back" "^0-3$" cat /sys/devices/system/cpu/online
