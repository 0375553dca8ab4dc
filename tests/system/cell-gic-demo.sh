# gic-demo in its cell: create, load, start, latency lines, stats, shutdown, destroy. The demo
# prints through the hypervisor console here (con=hvc), which the root reads after disable.
# timeout: 240

check "module loads" insmod /lib/modules/jailhouse.ko
check "enable" jailhouse enable /etc/jailhouse/system.cell
used0=$(cat /sys/devices/jailhouse/mem_pool_used)
check_output "cell create" 'Cell "gic-demo" created, id 1' \
	jailhouse cell create /etc/jailhouse/gic-demo.cell
check_output "cpu3 left Linux" "^0-2$" cat /sys/devices/system/cpu/online
check_output "cell list: shut down on CPU 3" "^1 +gic-demo +shut down +3 " jailhouse cell list
check_output "sysfs name" "^gic-demo$" cat /sys/devices/jailhouse/cells/1/name
check "load gic-demo.bin with a command line" jailhouse cell load gic-demo \
	/usr/share/jailhouse/inmates/gic-demo.bin -s "con=hvc samples=50" -a 0x1000
check "start" jailhouse cell start gic-demo
sleep 4
check_output "running" "^running$" cat /sys/devices/jailhouse/cells/1/state
check_output "cell stats: timer interrupts injected" "vmexits_virt_irq +[1-9][0-9]* +[1-9]" \
	jailhouse cell stats gic-demo
check_output "no failed CPUs" "^$" cat /sys/devices/jailhouse/cells/1/cpus_failed
check_fails_with "disable refused while a cell exists" "." jailhouse disable
check "shutdown" jailhouse cell shutdown gic-demo
check_output "shut down" "^shut down$" cat /sys/devices/jailhouse/cells/1/state
check "destroy" jailhouse cell destroy 1
check_output "cpu3 back with Linux" "^0-3$" cat /sys/devices/system/cpu/online
check "cpu3 runs Linux again" taskset -c 3 true
check_output "cell list empty" "^ID" sh -c 'jailhouse cell list | tail -1'
check_output "hypervisor memory use back where it began" "^$used0\$" \
	cat /sys/devices/jailhouse/mem_pool_used
check "disable" jailhouse disable
check_output "gic-demo's latency lines reached the console" "latency ns: min=[0-9]+ avg=" \
	jailhouse console
jailhouse console | grep "latency ns" | tail -2 | while read -r l; do info "gic-demo in a cell: $l"; done
jailhouse console | grep -E "Created cell|Started cell|Destroyed cell" | sed 's/^/  | /'
