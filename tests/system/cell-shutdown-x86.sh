# The comm region protocol on x86: deny-shutdown in the smp-demo cell (may-lock) locks the
# system (RUNNING_LOCKED vetoes creating another cell), denies the first shutdown (EPERM) and
# approves the second. A cell that never answers (attack=hang: interrupts off, no polling) is
# FAILED after the reply limit (1 s), for shutdown and for destroy alike.
# arch: x86
# timeout: 240

INM=/usr/share/jailhouse/inmates
STATE=/sys/devices/jailhouse/cells/1/state

check "module loads" insmod /lib/modules/jailhouse.ko
check "enable" jailhouse enable /etc/jailhouse/system.cell
check "create smp-demo" jailhouse cell create /etc/jailhouse/smp-demo.cell
check "load deny-shutdown" jailhouse cell load smp-demo $INM/deny-shutdown.bin \
	-s "period-ms=500" -a 0x1000
check "start" jailhouse cell start smp-demo
sleep 2
check_output "state running/locked" "^running/locked$" cat $STATE
check_fails_with "creating another cell is vetoed (EPERM)" "RUNNING_LOCKED.*Operation not permitted" \
	jailhouse cell create /etc/jailhouse/uart-demo.cell
check_output "CPU 1 came back after the refused create" "^0-1$" \
	cat /sys/devices/system/cpu/online
check_fails_with "first shutdown denied (EPERM)" "Operation not permitted" \
	jailhouse cell shutdown smp-demo
check_output "the cell said so" "^\[smp-demo\] deny-shutdown: denying shutdown request 1" \
	jailhouse console
check_output "still running" "^running/locked$" cat $STATE
check "second request approved" jailhouse cell shutdown smp-demo
check_output "approved by the cell" "^\[smp-demo\] deny-shutdown: approving shutdown request 2" \
	jailhouse console
check_output "shut down" "^shut down$" cat $STATE
check "now another cell can be created" jailhouse cell create /etc/jailhouse/uart-demo.cell
check "uart-demo runs and ends by itself" sh -c "jailhouse cell load uart-demo \
	$INM/uart-demo.bin -s 'con=hvc period-ms=50 count=3' -a 0x1000 && \
	jailhouse cell start uart-demo && sleep 1 && \
	[ \"\$(cat /sys/devices/jailhouse/cells/2/state)\" = 'shut down' ]"
check "a cell that ended by itself needs no answer to be shut down" \
	jailhouse cell shutdown uart-demo

hang_start() {
	check "$1: load a cell that never answers" jailhouse cell load smp-demo $INM/attack.bin \
		-s "attack=hang" -a 0x1000
	check "$1: start it" jailhouse cell start smp-demo
	sleep 1
	check_output "$1: it runs (the hypervisor set RUNNING)" "^running$" cat $STATE
}
centis() { cut -d' ' -f1 /proc/uptime | tr -d .; }
bounded() {	# bounded WHAT COMMAND...: ends 0 after the 1 s limit, within 2 s of it
	what=$1
	shift
	mark_console
	t0=$(centis)
	check "$what: completes after the reply limit" "$@"
	t=$(( $(centis) - t0 ))
	info "$what of the silent cell took $t cs (limit 100 cs)"
	check "$what: took the limit (1.00 s), not more than 3 s: $t cs" [ "$t" -ge 95 -a "$t" -le 300 ]
	check_output "$what: console: no reply within the limit, cell FAILED" \
		'Cell "smp-demo": no reply to message 1 within 10[0-9]{5} us: FAILED' new_console
}
hang_start shutdown
bounded shutdown jailhouse cell shutdown smp-demo
check_output "state failed" "^failed$" cat $STATE
hang_start destroy
bounded destroy jailhouse cell destroy smp-demo
check "destroy uart-demo" jailhouse cell destroy uart-demo
check_output "all CPUs back" "^0-3$" cat /sys/devices/system/cpu/online
check "CPUs 2 and 3 run Linux work (the silent cell's CPUs)" \
	sh -c 'taskset -c 2 true && taskset -c 3 true'
check "disable" jailhouse disable
