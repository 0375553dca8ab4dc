# x86 requests refused for what they are, with a message naming the real reason, and with
# nothing changed: a cell whose RAM Linux uses (this boot reserves the hypervisor memory and
# the pool except apic-demo's 1 MiB at 0x3b100000) is refused before the hypervisor writes it,
# and the fix named is the x86 one (memmap=); an image too large for any loadable region, or at
# an address outside them, leaves the running cell running; start before any load says so; a
# hypervisor built without exit statistics says so instead of showing zeros.
# arch: x86
# cmdline: none
# append: memmap=0x1000000$0x3a000000 memmap=0x100000$0x3b000000 memmap=0x3e00000$0x3b200000
# timeout: 240

INM=/usr/share/jailhouse/inmates
STATE=/sys/devices/jailhouse/cells/1/state

check "module loads" insmod /lib/modules/jailhouse.ko
check "enable" jailhouse enable /etc/jailhouse/system.cell
check "Linux has apic-demo's RAM (0x3b100000) as System RAM" \
	iomem_covers 3b100000 3b1fffff "System RAM"
used0=$(cat /sys/devices/jailhouse/mem_pool_used)
mark_console
check_fails_with "apic-demo's RAM is Linux's: refused, the reason named" \
	"RAM Linux uses.*Cannot assign requested address" \
	jailhouse cell create /etc/jailhouse/apic-demo.cell
check_fails_with "... the fix named is the x86 one (memmap=), not a device tree" \
	"memmap=|kernel command line" jailhouse cell create /etc/jailhouse/apic-demo.cell
check_dmesg "... dmesg names the range and the fix" \
	"apic-demo\": memory 0x3b100000-0x3b1fffff is System RAM of Linux: reserve it on the kernel command line \(memmap="
check_output "... CPU 2 back online" "^0-3$" cat /sys/devices/system/cpu/online
check_output "... no cell" "^$" ls /sys/devices/jailhouse/cells
check_output "... pool use unchanged" "^$used0\$" cat /sys/devices/jailhouse/mem_pool_used
console_names_apic_demo() { new_console | grep -q apic-demo; }
check_fails "... before the hypervisor saw it (it would scrub that RAM)" console_names_apic_demo

check_fails_with "start before the cell exists: no such cell" "no such cell" \
	jailhouse cell start smp-demo
check "smp-demo (reserved RAM) created" jailhouse cell create /etc/jailhouse/smp-demo.cell
check_fails_with "start before any load: says no image is loaded" \
	"no image loaded since the cell was created or shut down" jailhouse cell start smp-demo
check "load smp-demo" jailhouse cell load smp-demo $INM/smp-demo.bin -s "print-every=50" -a 0x1000
check "start" jailhouse cell start smp-demo
sleep 1
check_output "running" "^running$" cat $STATE

# 2 MiB of zeros: larger than smp-demo's 1 MiB loadable RAM
dd if=/dev/zero of=/tmp/big.bin bs=1M count=2 2>/dev/null
check_fails_with "image larger than every loadable region: says so" \
	"larger than every loadable region.*File too large" \
	jailhouse cell load smp-demo /tmp/big.bin
check_dmesg "... dmesg gives both sizes" \
	"image 0 of 2097152 bytes is larger than the largest loadable region of cell \"smp-demo\" \(1048576 bytes\)"
check_output "... the cell still runs" "^running$" cat $STATE
rm -f /tmp/big.bin
check_fails_with "image at an address outside the loadable RAM (the comm region): says so" \
	"outside the cell's loadable memory.*out of range" \
	jailhouse cell load smp-demo $INM/smp-demo.bin -a 0x100000
check_dmesg "... dmesg names the address" "at 0x100000 is not inside a loadable region"
check_fails_with "image crossing the end of the loadable RAM: says so" \
	"outside the cell's loadable memory" jailhouse cell load smp-demo $INM/smp-demo.bin -a 0xff000
check_output "... the cell still runs" "^running$" cat $STATE
check_fails_with "a good image after a bad one: the whole request is refused" \
	"outside the cell's loadable memory" \
	jailhouse cell load smp-demo $INM/smp-demo.bin -a 0 $INM/smp-demo.bin -a 0x800000
check_output "... the cell still runs" "^running$" cat $STATE
check_fails_with "the root cell is not loaded this way: says so" "root cell \(id 0\)" \
	jailhouse cell load 0 $INM/smp-demo.bin
check "shutdown" jailhouse cell shutdown smp-demo
check_fails_with "start after shutdown: no image loaded" "no image loaded" \
	jailhouse cell start smp-demo
check "destroy" jailhouse cell destroy smp-demo
check "disable" jailhouse disable
check_fails_with "create while disabled: says the hypervisor is not enabled" \
	"hypervisor is not enabled" jailhouse cell create /etc/jailhouse/smp-demo.cell

# A hypervisor built without CONFIG_EXIT_STATS: statistics say they are not there, not zeros
cp /usr/share/jailhouse/variants/no-exit-stats/jailhouse.bin /lib/firmware/jailhouse.bin
check "enable the build without exit statistics" jailhouse enable /etc/jailhouse/system.cell
check "smp-demo created" jailhouse cell create /etc/jailhouse/smp-demo.cell
check_fails_with "cell stats: not compiled in, not zeros" \
	"exit statistics are not compiled into the hypervisor \(CONFIG_EXIT_STATS\)" \
	jailhouse cell stats smp-demo
check_fails_with "... the sysfs file fails to read (EOPNOTSUPP)" "not supported" \
	cat /sys/devices/jailhouse/cells/1/statistics/vmexits_total
check_fails_with "... and the per-CPU one too" "not supported" \
	cat /sys/devices/jailhouse/statistics/cpu0/vmexits_total
check "destroy" jailhouse cell destroy smp-demo
check "disable" jailhouse disable
