# Two x86 cells at once: uart-demo (CPU 1, COM2) beside apic-demo (CPU 2); root Linux keeps CPUs
# 0 and 3. uart-demo is stopped, reloaded with another command line and restarted while
# apic-demo keeps reporting. Then apic-demo makes room for smp-demo (CPUs 2+3, its second CPU
# started by the cell's own INIT/SIPI) beside the still running uart-demo; destroy both.
# arch: x86
# timeout: 300

INM=/usr/share/jailhouse/inmates
CELLS=/sys/devices/jailhouse/cells
state() {	# state NAME: the cell's state from sysfs
	for d in $CELLS/*; do
		[ "$(cat $d/name)" = "$1" ] && cat $d/state && return 0
	done
	echo "no cell $1"
}
count_console() {
	jailhouse console | grep -cE "$1" || true
}

check "module loads" insmod /lib/modules/jailhouse.ko
check "enable" jailhouse enable /etc/jailhouse/system.cell
used0=$(cat /sys/devices/jailhouse/mem_pool_used)
check "create uart-demo" jailhouse cell create /etc/jailhouse/uart-demo.cell
check "create apic-demo" jailhouse cell create /etc/jailhouse/apic-demo.cell
check_output "Linux keeps CPUs 0 and 3" "^0,3$" cat /sys/devices/system/cpu/online
check "load uart-demo (console hypercall)" jailhouse cell load uart-demo $INM/uart-demo.bin \
	-s "con=hvc period-ms=200" -a 0x1000
check "load apic-demo" jailhouse cell load apic-demo $INM/apic-demo.bin -s "samples=50" -a 0x1000
check "start uart-demo" jailhouse cell start uart-demo
check "start apic-demo" jailhouse cell start apic-demo
sleep 4
check_output "both running" "uart-demo +running +1 .*apic-demo +running +2 " \
	sh -c 'jailhouse cell list | tr "\n" " "'
check_output "uart-demo prints" "^\[uart-demo\] uart-demo: hello [0-9]+" jailhouse console
check_output "apic-demo reports latency at the same time" "^\[apic-demo\] latency ns: min=" \
	jailhouse console
check_output "apic-demo saw no interrupt it did not program" "^0$" \
	count_console "apic-demo: unexpected vector|unexpected interrupt"
check "root Linux still works (checksum of 8 MiB twice)" sh -c \
	'a=$(dd if=/dev/zero bs=1M count=8 2>/dev/null | md5sum); b=$(dd if=/dev/zero bs=1M count=8 2>/dev/null | md5sum); [ "$a" = "$b" ]'
check_output "Linux runs on CPU 3 meanwhile" "^ok$" taskset -c 3 echo ok

# stop, reload, restart uart-demo; apic-demo must not notice
lat_before=$(count_console "latency ns")
check "shutdown uart-demo (asks it: not passive)" jailhouse cell shutdown uart-demo
check_output "uart-demo approved the shutdown request" \
	"^\[uart-demo\] inmate: shutdown request approved" jailhouse console
check_output "uart-demo shut down" "^shut down$" state uart-demo
check "reload uart-demo with another command line" jailhouse cell load uart-demo \
	$INM/uart-demo.bin -s "con=hvc period-ms=100 count=7" -a 0x1000
check "restart uart-demo" jailhouse cell start uart-demo
sleep 3
check_output "second run printed its 7 lines" "^\[uart-demo\] uart-demo: hello 7" jailhouse console
check_output "... and ended by itself (SHUT_DOWN from the cell)" "^shut down$" state uart-demo
lat_after=$(count_console "latency ns")
check "apic-demo kept reporting meanwhile ($lat_before, then $lat_after)" \
	test "$lat_after" -gt "$lat_before"
check_output "apic-demo still running" "^running$" state apic-demo
check "destroy apic-demo" jailhouse cell destroy apic-demo
check_output "CPU 2 back with Linux" "^0,2-3$" cat /sys/devices/system/cpu/online

# uart-demo again (on COM2 this time) beside smp-demo
check "uart-demo runs on, on COM2" sh -c "jailhouse cell load uart-demo $INM/uart-demo.bin \
	-s 'period-ms=200' -a 0x1000 && jailhouse cell start uart-demo"
check "create smp-demo (CPUs 2 and 3)" jailhouse cell create /etc/jailhouse/smp-demo.cell
check_output "Linux keeps CPU 0 only" "^0$" cat /sys/devices/system/cpu/online
check "load smp-demo" jailhouse cell load smp-demo $INM/smp-demo.bin -s "print-every=5" -a 0x1000
check "start smp-demo" jailhouse cell start smp-demo
sleep 4
check_output "smp-demo started its second CPU (INIT/SIPI), APIC id 3" \
	"^\[smp-demo\] smp-demo: cpu1 up, apic id 3" jailhouse console
check_output "smp-demo: 2 CPUs online" "^\[smp-demo\] smp-demo: 2 CPUs online$" jailhouse console
check_output "smp-demo: its IPI reached the second CPU" "^\[smp-demo\] smp-demo: cpu1 got IPI 1$" \
	jailhouse console
check_output "smp-demo: CPU 0 counts timer ticks" \
	"^\[smp-demo\] smp-demo: cpu0 \(apic id 2\) count=" jailhouse console
check_output "smp-demo: CPU 1 counts timer ticks" \
	"^\[smp-demo\] smp-demo: cpu1 \(apic id 3\) count=" jailhouse console
check_output "both running" "uart-demo +running +1 .*smp-demo +running +2-3 " \
	sh -c 'jailhouse cell list | tr "\n" " "'
check_output "Linux works on CPU 0 meanwhile" "^ok$" taskset -c 0 echo ok

check "destroy smp-demo" jailhouse cell destroy smp-demo
check "destroy uart-demo" jailhouse cell destroy uart-demo
check_output "all CPUs back with Linux" "^0-3$" cat /sys/devices/system/cpu/online
check "CPUs 1-3 schedule Linux tasks" sh -c 'taskset -c 1 true && taskset -c 2 true && taskset -c 3 true'
check_output "hypervisor memory use back where it began" "^$used0\$" \
	cat /sys/devices/jailhouse/mem_pool_used
check "disable" jailhouse disable
