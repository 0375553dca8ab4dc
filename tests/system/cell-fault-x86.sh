# A faulting x86 cell is stopped as FAILED while the root and another cell keep running:
# fault-demo (reads 0xdead0000, outside its cell: a nested page fault no emulated device claims)
# in the apic-demo cell (CPU 2), uart-demo beside it on CPU 1. Then the failed cell is shut
# down, reloaded with apic-demo and runs again; a write fault is caught the same way.
# arch: x86
# timeout: 240

INM=/usr/share/jailhouse/inmates
count_console() {
	jailhouse console | grep -cE "$1" || true
}

check "module loads" insmod /lib/modules/jailhouse.ko
check "enable" jailhouse enable /etc/jailhouse/system.cell
check "create uart-demo" jailhouse cell create /etc/jailhouse/uart-demo.cell
check "create apic-demo (for fault-demo)" jailhouse cell create /etc/jailhouse/apic-demo.cell
check "load and start uart-demo" sh -c "jailhouse cell load uart-demo $INM/uart-demo.bin \
	-s 'con=hvc period-ms=100' -a 0x1000 && jailhouse cell start uart-demo"
check "load fault-demo into the apic-demo cell" jailhouse cell load apic-demo \
	$INM/fault-demo.bin -s "delay-ms=300" -a 0x1000
check "start it" jailhouse cell start apic-demo
sleep 2
check_output "the cell is FAILED" "^failed$" cat /sys/devices/jailhouse/cells/2/state
check_output "its CPU is listed as failed" "^2$" cat /sys/devices/jailhouse/cells/2/cpus_failed
check_output "cell list shows it" "apic-demo +failed +2 +2" jailhouse cell list
check_output "fault-demo got to the access" "^\[apic-demo\] fault-demo: accessing 0xdead0000 now" \
	jailhouse console
check_output "console: the nested page fault at its address" \
	'FATAL: nested page fault on CPU 2 \(cell "apic-demo"\): .*FAR 0xdead0000' jailhouse console
check_output "console: the cell was stopped" 'Cell "apic-demo" FAILED: CPU 2 stopped' \
	jailhouse console
check_fails "the access never completed" sh -c 'jailhouse console | grep "fault-demo: ERROR"'
n1=$(count_console "uart-demo: hello")
sleep 2
n2=$(count_console "uart-demo: hello")
info "uart-demo lines: $n1, then $n2"
check "uart-demo keeps running" test "$n2" -gt "$n1"
check_output "uart-demo state" "^running$" cat /sys/devices/jailhouse/cells/1/state
check "root Linux keeps working (fork/exec)" sh -c 'for i in 1 2 3 4 5 6 7 8; do true; done; ls / >/dev/null'
check_output "Linux works on CPU 3" "^ok$" taskset -c 3 echo ok

check "shut down the failed cell" jailhouse cell shutdown apic-demo
check_output "the failed CPU stays listed until the cell restarts" "^2$" \
	cat /sys/devices/jailhouse/cells/2/cpus_failed
check "reload the cell with apic-demo" jailhouse cell load apic-demo $INM/apic-demo.bin \
	-s "samples=20" -a 0x1000
check "start again" jailhouse cell start apic-demo
sleep 2
check_output "running again" "^running$" cat /sys/devices/jailhouse/cells/2/state
check_output "no failed CPU any more" "^$" cat /sys/devices/jailhouse/cells/2/cpus_failed
check_output "apic-demo reports latency after the restart" "^\[apic-demo\] latency ns: min=" \
	jailhouse console

check "shut down" jailhouse cell shutdown apic-demo
check "load fault-demo, writing" jailhouse cell load apic-demo $INM/fault-demo.bin \
	-s "write addr=0x3b000000" -a 0x1000
check "start" jailhouse cell start apic-demo
sleep 2
check_output "a write into uart-demo's RAM: FAILED" "^failed$" \
	cat /sys/devices/jailhouse/cells/2/state
check_output "console: the write's address" \
	'FATAL: nested page fault on CPU 2 \(cell "apic-demo"\): .*FAR 0x3b000000' jailhouse console
check_output "uart-demo still running" "^running$" cat /sys/devices/jailhouse/cells/1/state
check "destroy apic-demo" jailhouse cell destroy apic-demo
check "destroy uart-demo" jailhouse cell destroy uart-demo
check_output "all CPUs back" "^0-3$" cat /sys/devices/system/cpu/online
check_output "no kernel trouble in the root" "^0$" sh -c 'dmesg | grep -c -E "Oops|BUG|general protection" || true'
check "disable" jailhouse disable
