# uart-demo in the gic-demo cell: prints a few lines and ends by itself (inmate_exit: the cell
# sets SHUT_DOWN and parks); once on the shared PL011, once through the hypervisor console.
# timeout: 150

INM=/usr/share/jailhouse/inmates
check "module loads" insmod /lib/modules/jailhouse.ko
check "enable" jailhouse enable /etc/jailhouse/system.cell
check "create" jailhouse cell create /etc/jailhouse/gic-demo.cell
check "load uart-demo (PL011 from the comm region)" jailhouse cell load gic-demo \
	$INM/uart-demo.bin -s "period-ms=50 count=5" -a 0x1000
check "start" jailhouse cell start gic-demo
sleep 2
check_output "it ended by itself: shut down" "^shut down$" cat /sys/devices/jailhouse/cells/1/state
check "load it again with the hypervisor console" jailhouse cell load gic-demo \
	$INM/uart-demo.bin -s "con=hvc period-ms=50 count=3" -a 0x1000
check "start" jailhouse cell start gic-demo
sleep 2
check_output "its lines reached the hypervisor console" "uart-demo: hello 3" jailhouse console
check_output "shut down by itself again" "^shut down$" cat /sys/devices/jailhouse/cells/1/state
check "destroy" jailhouse cell destroy gic-demo
check "disable" jailhouse disable
