# x86: a root booted without the memmap= reservations (Linux owns the hypervisor memory): the
# driver refuses to enable, says how to reserve it, and Linux keeps running unharmed.
# arch: x86
# cmdline: none

check_fails "the kernel command line has no memmap=" grep memmap= /proc/cmdline
check "module loads" insmod /lib/modules/jailhouse.ko
check_fails_with "enable is refused: the memory is Linux's, the x86 fix named (memmap=)" \
	"used by Linux: reserve it on the kernel command line \(memmap=SIZE\\\$ADDRESS" \
	jailhouse enable /etc/jailhouse/system.cell
check_dmesg "the kernel log says how to reserve it" \
	"hypervisor memory 0x3a000000-0x3affffff is used by Linux: reserve it on the kernel command line \(memmap="
check_output "nothing was enabled" "^0$" cat /sys/devices/jailhouse/enabled
check "module unloads" rmmod jailhouse
