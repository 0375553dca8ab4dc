# apic-demo in its x86 cell (CPU 2): create, load with a command line, start, latency lines of its
# local APIC timer, stats (the timer's EOIs and reloads go through the trapped xAPIC page),
# shutdown, destroy by id. It prints through the console hypercall (virtual-console-active),
# which the root reads after disable too.
# arch: x86
# timeout: 240

check "module loads" insmod /lib/modules/jailhouse.ko
check "enable" jailhouse enable /etc/jailhouse/system.cell
used0=$(cat /sys/devices/jailhouse/mem_pool_used)
check_output "cell create" 'Cell "apic-demo" created, id 1' \
	jailhouse cell create /etc/jailhouse/apic-demo.cell
check_output "cpu2 left Linux" "^0-1,3$" cat /sys/devices/system/cpu/online
check_output "cell list: shut down on CPU 2" "^1 +apic-demo +shut down +2 " jailhouse cell list
check_output "sysfs name" "^apic-demo$" cat /sys/devices/jailhouse/cells/1/name
check "load apic-demo.bin with a command line" jailhouse cell load apic-demo \
	/usr/share/jailhouse/inmates/apic-demo.bin -s "samples=50" -a 0x1000
check "start" jailhouse cell start apic-demo
sleep 4
check_output "running" "^running$" cat /sys/devices/jailhouse/cells/1/state
check_output "its command line arrived" '^\[apic-demo\] inmate: command line "samples=50"$' \
	jailhouse console
check_output "timer frequencies from the comm region, no calibration" \
	'^\[apic-demo\] inmate: cell image at 0x0, cpu0 apic id 2, console hvc, comm region 0x100000, tsc [0-9]+ kHz \(comm region\), apic timer [0-9]+ kHz' \
	jailhouse console
check_output "cell stats: xAPIC accesses trapped" "vmexits_xapic +[1-9][0-9]* +[0-9]" \
	jailhouse cell stats apic-demo
check_output "no failed CPUs" "^$" cat /sys/devices/jailhouse/cells/1/cpus_failed
check_fails_with "disable refused while a cell exists" "cells exist" jailhouse disable
check "shutdown" jailhouse cell shutdown apic-demo
check_output "shut down" "^shut down$" cat /sys/devices/jailhouse/cells/1/state
check "destroy" jailhouse cell destroy 1
check_output "cpu2 back with Linux" "^0-3$" cat /sys/devices/system/cpu/online
check "cpu2 runs Linux again" taskset -c 2 true
check_output "cell list empty" "^ID" sh -c 'jailhouse cell list | tail -1'
check_output "hypervisor memory use back where it began" "^$used0\$" \
	cat /sys/devices/jailhouse/mem_pool_used
check "disable" jailhouse disable
check_output "apic-demo's latency lines reached the console" "latency ns: min=[0-9]+ avg=" \
	jailhouse console
jailhouse console | grep "latency ns" | tail -2 | while read -r l; do info "apic-demo in a cell: $l"; done
jailhouse console | grep -E "Created cell|Started cell|Destroyed cell" | sed 's/^/  | /'
