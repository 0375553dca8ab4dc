# A Jailhouse user's configuration, imported: the upstream-shaped qemu-arm64 system and its
# inmate-demo cell (tests/configgen/jailhouse/jh-upstream.c, revision 14: zero root-cell
# signature, 16 CPUs, permissive MMIO and ECAM windows, ivshmem demo + net links), turned into
# sources by `configgen import` and compiled at build time (mk/import-upstream.mk). Booted with
# configgen's root DTB of the imported system: enable, the imported links' root ends appear,
# create the imported cell (64 KiB of RAM, as upstream's), run our gic-demo in it, then the
# Jailhouse-API jh-compat-demo (both built with the inmate SDK for that cell blob), destroy,
# disable.
# dtb: configs/import-upstream/jh-import-root.dtb
# timeout: 90

SYS=/etc/jailhouse/jh-import-system.cell
CELL=/etc/jailhouse/jh-import-inmate-demo.cell
INM=/usr/share/jailhouse/inmates/jh-import-gic-demo.bin
COMPAT=/usr/share/jailhouse/inmates/jh-import-jh-compat-demo.bin

check "the root DTB reserves the imported cell pool (no-map)" \
	sh -c 'ls /proc/device-tree/reserved-memory/ | grep -q .'
check "module loads" insmod /lib/modules/jailhouse.ko
check "enable the imported system" jailhouse enable $SYS
check_output "the imported links' root ends (link, net) on the PCI bus" "^2$" ivshmem_count
used0=$(cat /sys/devices/jailhouse/mem_pool_used)
check_output "create the imported cell" 'Cell "inmate-demo" created' jailhouse cell create $CELL
check_output "CPU 1 left Linux" "^0,2-3$" cat /sys/devices/system/cpu/online
mark_console
check "load gic-demo" jailhouse cell load inmate-demo $INM -s "con=hvc samples=100" -a 0x1000
check "start" jailhouse cell start inmate-demo
check "gic-demo reports from the imported cell" wait_console '^\[inmate-demo\] latency ns: '
check_output "running" "^1 +inmate-demo +running" jailhouse cell list
check "shutdown" jailhouse cell shutdown inmate-demo
mark_console
check "load jh-compat-demo" jailhouse cell load inmate-demo $COMPAT -s "con=hvc number=7 beats=2" \
	-a 0x1000
check "start it" jailhouse cell start inmate-demo
check "the Jailhouse-API demo serves from the imported cell" \
	wait_console "jh-compat-demo: serving messages \(running\)"
check_output "its command line, Jailhouse's parser" "jh-compat-demo: number=7 " new_console
check_output "its timer interrupts" "jh-compat-demo: 2 timer interrupts$" new_console
check "shutdown" jailhouse cell shutdown inmate-demo
check "destroy" jailhouse cell destroy inmate-demo
check_output "CPU 1 back with Linux" "^0-3$" cat /sys/devices/system/cpu/online
check_output "hypervisor memory use back where it began" "^$used0\$" cat /sys/devices/jailhouse/mem_pool_used
check "disable" jailhouse disable
check_output "no cell left" "^$" sh -c 'ls /sys/devices/jailhouse/cells 2>/dev/null'
