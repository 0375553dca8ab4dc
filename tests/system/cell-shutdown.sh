# The comm region protocol: deny-shutdown in the smp-demo cell locks the system
# (RUNNING_LOCKED vetoes creating another cell), denies the first shutdown (EPERM) and approves
# the second. gic-demo's cell is passive: never asked. A cell that never answers is FAILED after
# its reply timeout, and the shutdown goes on.
# timeout: 240

INM=/usr/share/jailhouse/inmates

check "module loads" insmod /lib/modules/jailhouse.ko
check "enable" jailhouse enable /etc/jailhouse/system.cell
check "create smp-demo" jailhouse cell create /etc/jailhouse/smp-demo.cell
check "load deny-shutdown" jailhouse cell load smp-demo $INM/deny-shutdown.bin \
	-s "con=hvc period-ms=500" -a 0x1000
check "start" jailhouse cell start smp-demo
sleep 2
check_output "state running/locked" "^running/locked$" cat /sys/devices/jailhouse/cells/1/state
check_fails_with "creating another cell is vetoed (EPERM)" "RUNNING_LOCKED.*Operation not permitted" \
	jailhouse cell create /etc/jailhouse/gic-demo.cell
check_output "CPU 3 came back after the refused create" "^0,3$" \
	cat /sys/devices/system/cpu/online
check_fails_with "first shutdown denied (EPERM)" "Operation not permitted" \
	jailhouse cell shutdown smp-demo
check_output "the cell said so" "deny-shutdown: denying shutdown request 1" jailhouse console
check_output "still running" "^running/locked$" cat /sys/devices/jailhouse/cells/1/state
check "second request approved" jailhouse cell shutdown smp-demo
check_output "approved by the cell" "deny-shutdown: approving shutdown request" jailhouse console
check_output "shut down" "^shut down$" cat /sys/devices/jailhouse/cells/1/state
check "now another cell can be created" jailhouse cell create /etc/jailhouse/gic-demo.cell
check "gic-demo (passive) runs" sh -c "jailhouse cell load gic-demo $INM/gic-demo.bin \
	-s 'con=hvc' -a 0x1000 && jailhouse cell start gic-demo"
check "passive cell shut down without being asked" jailhouse cell shutdown gic-demo

# A cell that never answers and has no msg-reply-timeout (smp-demo sets none): interrupts masked,
# then an endless loop ("msr daifset, #0xf; b .") as its whole image. The hypervisor waits its
# limit, 1 s of real time, for shutdown and for destroy alike; it was forever once.
printf '\337\117\003\325\000\000\000\024' > /tmp/hang.bin
hang_start() {
	check "$1: load a cell that never answers" jailhouse cell load smp-demo /tmp/hang.bin
	check "$1: start it" jailhouse cell start smp-demo
	sleep 1
	check_output "$1: it runs (the hypervisor set RUNNING)" "^running$" \
		cat /sys/devices/jailhouse/cells/1/state
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
check_output "state failed" "^failed$" cat /sys/devices/jailhouse/cells/1/state
hang_start destroy
bounded destroy jailhouse cell destroy smp-demo
check "destroy gic-demo" jailhouse cell destroy gic-demo
check_output "all CPUs back" "^0-3$" cat /sys/devices/system/cpu/online
check "disable" jailhouse disable
