# vCPU reset hygiene on x86: reset-check (inmates/tests/x86) compares the first CPU's entry state
# (GPRs, segments, CR0/3/4, EFER, the local APIC before the library touches it) with the
# cell-start contract and INIT values, and reads DR0-7, CR2, the MSRs SVM keeps per guest and
# the FXSAVE image; then dirties them all. It must start clean on a CPU fresh from Linux, again
# after a restart of its cell, and in another cell on the CPU the dirty cell had.
# arch: x86
# timeout: 200

INM=/usr/share/jailhouse/inmates
clean_runs() {
	jailhouse console | grep -c "reset-check: clean ([0-9]* registers)"
}
check "module loads" insmod /lib/modules/jailhouse.ko
check "enable" jailhouse enable /etc/jailhouse/system.cell
# leave traces in CPU 2 as Linux: processes with their own FP/SSE state, syscalls
taskset -c 2 sh -c 'i=0; while [ $i -lt 2000 ]; do i=$((i + 1)); done; md5sum /init >/dev/null'
check "create apic-demo" jailhouse cell create /etc/jailhouse/apic-demo.cell
check "load reset-check" jailhouse cell load apic-demo $INM/reset-check.bin
check "start" jailhouse cell start apic-demo
sleep 2
check_output "first run: clean on a CPU that ran Linux" "^1$" clean_runs
check_output "it dirtied everything" "^\[apic-demo\] reset-check: dirtied$" jailhouse console
check_output "still running (no register access trapped as fatal)" "^running$" \
	cat /sys/devices/jailhouse/cells/1/state
check "shut down" jailhouse cell shutdown apic-demo
check "reload" jailhouse cell load apic-demo $INM/reset-check.bin
check "restart" jailhouse cell start apic-demo
sleep 2
check_output "second run: clean again after the restart" "^2$" clean_runs
check "destroy apic-demo" jailhouse cell destroy apic-demo
check "create smp-demo (CPU 2 again, dirty from apic-demo's run)" \
	jailhouse cell create /etc/jailhouse/smp-demo.cell
check "load reset-check" jailhouse cell load smp-demo $INM/reset-check.bin
check "start" jailhouse cell start smp-demo
sleep 2
check_output "third run, another cell: clean" "^3$" clean_runs
check_fails "no register reported dirty" sh -c 'jailhouse console | grep "reset-check: .*DIRTY"'
check_output "running" "^running$" cat /sys/devices/jailhouse/cells/1/state
check "destroy" jailhouse cell destroy smp-demo
check "CPUs 2 and 3 run Linux again after the dirty cell" \
	sh -c 'taskset -c 2 md5sum /init >/dev/null && taskset -c 3 md5sum /init >/dev/null'
check_output "all CPUs back" "^0-3$" cat /sys/devices/system/cpu/online
check "disable" jailhouse disable
jailhouse console | grep "reset-check" | sed 's/^/  | /'
