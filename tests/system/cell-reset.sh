# vCPU reset hygiene: reset-check (inmates/tests) reports every EL1 system register, FP/SIMD
# register, timer, PMU and debug register it can see that is not zero at start, then dirties
# them all. It must start clean on a CPU fresh from Linux and again after a restart of its cell.
# timeout: 180

INM=/usr/share/jailhouse/inmates
check "module loads" insmod /lib/modules/jailhouse.ko
check "enable" jailhouse enable /etc/jailhouse/system.cell
# leave traces in CPU 3 as Linux: a process with its own TLS (TPIDR_EL0) and FP registers
taskset -c 3 sh -c 'i=0; while [ $i -lt 2000 ]; do i=$((i + 1)); done'
check "create gic-demo" jailhouse cell create /etc/jailhouse/gic-demo.cell
check "load reset-check" jailhouse cell load gic-demo $INM/reset-check.bin -s "con=hvc" -a 0x1000
check "start" jailhouse cell start gic-demo
sleep 2
check_output "first run: clean on a CPU that ran Linux" "reset-check: clean \([0-9]+ registers\)" \
	jailhouse console
check_output "it dirtied everything" "reset-check: dirtied" jailhouse console
check "shut down" jailhouse cell shutdown gic-demo
check "reload" jailhouse cell load gic-demo $INM/reset-check.bin -s "con=hvc" -a 0x1000
check "restart" jailhouse cell start gic-demo
sleep 2
check_output "second run: clean again after the restart" "^2$" \
	sh -c 'jailhouse console | grep -c "reset-check: clean"'
check_fails "no register reported dirty" sh -c 'jailhouse console | grep "reset-check: DIRTY"'
check_output "still running (no trap for any register)" "^running$" \
	cat /sys/devices/jailhouse/cells/1/state
check "destroy" jailhouse cell destroy gic-demo
check "CPU 3 runs Linux again after the dirty cell" taskset -c 3 sh -c 'true'
check "disable" jailhouse disable
jailhouse console | grep "reset-check" | sed 's/^/  | /'
