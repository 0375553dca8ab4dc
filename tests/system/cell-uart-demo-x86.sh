# uart-demo in its own cell (CPU 1, COM2 at 0x2f8 passed through): prints a few lines and ends
# by itself (inmate_exit: the cell sets SHUT_DOWN and parks); once on COM2 (the root cannot
# read COM2, so the proof is that the cell ran to its end without a fault on the way), once
# through the hypervisor console. The cell's port accesses cost no exits.
# arch: x86
# timeout: 150

INM=/usr/share/jailhouse/inmates
STATE=/sys/devices/jailhouse/cells/1/state
check "module loads" insmod /lib/modules/jailhouse.ko
check "enable" jailhouse enable /etc/jailhouse/system.cell
check "create" jailhouse cell create /etc/jailhouse/uart-demo.cell
check "load uart-demo (COM2, the cell's console)" jailhouse cell load uart-demo \
	$INM/uart-demo.bin -s "period-ms=50 count=5" -a 0x1000
PIO=/sys/devices/jailhouse/statistics/cpu1/vmexits_pio
pio0=$(cat $PIO)
check "start" jailhouse cell start uart-demo
sleep 2
check_output "it ended by itself: shut down" "^shut down$" cat $STATE
check_output "COM2 passed through: no port exit on CPU 1 while it printed" "^$pio0\$" cat $PIO
check_fails "no fault on the way" sh -c 'jailhouse console | grep -E "FATAL|FAILED"'
check "load it again with the hypervisor console" jailhouse cell load uart-demo \
	$INM/uart-demo.bin -s "con=hvc period-ms=50 count=3" -a 0x1000
check "start" jailhouse cell start uart-demo
sleep 2
check_output "its banner names the console" "^\[uart-demo\] uart-demo: printing on " \
	jailhouse console
check_output "its lines reached the hypervisor console" "^\[uart-demo\] uart-demo: hello 3$" \
	jailhouse console
check_fails "... exactly 3 of them" sh -c 'jailhouse console | grep "uart-demo: hello 4"'
check_output "shut down by itself again" "^shut down$" cat $STATE
check "destroy" jailhouse cell destroy uart-demo
check_output "CPU 1 back with Linux" "^0-3$" cat /sys/devices/system/cpu/online
check "disable" jailhouse disable
