# A faulting cell is stopped as FAILED while the root and another cell keep running: fault-demo
# (reads 0xdead0000, outside its cell) in the gic-demo cell, smp-demo next to it. Then the failed
# cell is shut down, reloaded with gic-demo and runs again.
# timeout: 240

INM=/usr/share/jailhouse/inmates
count_console() {
	jailhouse console | grep -cE "$1"
}

check "module loads" insmod /lib/modules/jailhouse.ko
check "enable" jailhouse enable /etc/jailhouse/system.cell
check "create smp-demo" jailhouse cell create /etc/jailhouse/smp-demo.cell
check "create gic-demo (for fault-demo)" jailhouse cell create /etc/jailhouse/gic-demo.cell
check "load and start smp-demo" sh -c "jailhouse cell load smp-demo $INM/smp-demo.bin \
	-s 'con=hvc print-every=2' -a 0x1000 && jailhouse cell start smp-demo"
check "load fault-demo into the gic-demo cell" jailhouse cell load gic-demo $INM/fault-demo.bin \
	-s "con=hvc delay-ms=300" -a 0x1000
check "start it" jailhouse cell start gic-demo
sleep 2
check_output "the cell is FAILED" "^failed$" cat /sys/devices/jailhouse/cells/2/state
check_output "its CPU is listed as failed" "^3$" cat /sys/devices/jailhouse/cells/2/cpus_failed
check_output "cell list shows it" "gic-demo +failed +3 +3" jailhouse cell list
check_output "console: the access and its address" "Unhandled data read at 0xdead0000" \
	jailhouse console
check_output "console: the cell was stopped" 'Cell "gic-demo" FAILED' jailhouse console
n1=$(count_console "smp-demo: cpu[01] .*count=")
sleep 2
n2=$(count_console "smp-demo: cpu[01] .*count=")
info "smp-demo tick lines: $n1, then $n2"
check "smp-demo keeps running" test "$n2" -gt "$n1"
check_output "smp-demo state" "^running$" cat /sys/devices/jailhouse/cells/1/state
check "root Linux keeps working (fork/exec)" sh -c 'for i in 1 2 3 4 5 6 7 8; do true; done; ls / >/dev/null'
check_output "no kernel trouble in the root" "^0$" sh -c 'dmesg | grep -c -E "Oops|BUG|Internal error" || true'

check "shut down the failed cell" jailhouse cell shutdown gic-demo
check_output "the failed CPU stays listed until the cell restarts" "^3$" cat /sys/devices/jailhouse/cells/2/cpus_failed
check "reload the cell with gic-demo" jailhouse cell load gic-demo $INM/gic-demo.bin \
	-s "con=hvc samples=20" -a 0x1000
check "start again" jailhouse cell start gic-demo
sleep 2
check_output "running again" "^running$" cat /sys/devices/jailhouse/cells/2/state
check_output "no failed CPU any more" "^$" cat /sys/devices/jailhouse/cells/2/cpus_failed
check_output "gic-demo reports latency after the restart" "latency ns: min=" jailhouse console
check "destroy gic-demo" jailhouse cell destroy gic-demo
check "destroy smp-demo" jailhouse cell destroy smp-demo
check_output "all CPUs back" "^0-3$" cat /sys/devices/system/cpu/online
check "disable" jailhouse disable
