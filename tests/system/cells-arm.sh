# ARMv7 cells, in one boot: the lifecycle of gic-demo (CPU 3: create takes the CPU from Linux,
# load, start, its timer interrupts injected through the GICv2 list registers at about one exit
# each, stats, shutdown, restart after a new load, destroy gives the CPU back, the memory pool
# back where it began), uart-demo ending by itself, smp-demo (CPUs 1-2, its second CPU started
# by PSCI CPU_ON) beside gic-demo, the comm region protocol (deny-shutdown locks the system,
# denies a shutdown, approves the next; jh-compat-demo, written against the Jailhouse inmate
# API, does the same with Jailhouse's names), a cell that never answers (bounded shutdown and
# destroy), vCPU hygiene across cell reuse (reset-check: cp15, banked and VFP registers clean on
# a CPU fresh from Linux and after a restart), disable refused while cells exist, the root
# faulting on the hypervisor's memory, and a second enable after disable.
# arch: arm
# timeout: 420

INM=/usr/share/jailhouse/inmates
ONLINE=/sys/devices/system/cpu/online
ST=/sys/devices/jailhouse
cell_dir() {	# cell_dir NAME
	for d in $ST/cells/*; do
		[ "$(cat $d/name 2>/dev/null)" = "$1" ] && echo $d && return 0
	done
	return 1
}
state() { cat $(cell_dir $1)/state; }
exits() { cat $(cell_dir gic-demo)/statistics/vmexits_$1; }
wait_state() {	# wait_state CELL STATE: up to 10 s
	i=0
	while [ $i -lt 100 ]; do
		[ "$(state $1)" = "$2" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

check "module loads" insmod /lib/modules/jailhouse.ko
check "enable" jailhouse enable /etc/jailhouse/system.cell
used0=$(cat $ST/mem_pool_used)
# leave traces in CPU 3 as Linux (VFP registers, TLS) for reset-check below to find
taskset -c 3 sh -c 'i=0; while [ $i -lt 2000 ]; do i=$((i + 1)); done'

# --- gic-demo: the whole lifecycle -------------------------------------------------------------
check_output "gic-demo: create" 'Cell "gic-demo" created' \
	jailhouse cell create /etc/jailhouse/gic-demo.cell
check_output "gic-demo: CPU 3 left Linux" "^0-2$" cat $ONLINE
check_output "gic-demo: cell list: shut down on CPU 3" "gic-demo +shut down +3 " jailhouse cell list
check_fails_with "gic-demo: start before load refused" "Exec format error" \
	jailhouse cell start gic-demo
check "gic-demo: load with a command line" jailhouse cell load gic-demo $INM/gic-demo.bin \
	-s "con=hvc samples=100" -a 0x1000
check "gic-demo: start" jailhouse cell start gic-demo
r0=$(gic_demo_reports)
check "gic-demo: a latency report" wait_gic_demo_reports $((r0 + 1))
t0=$(exits total); v0=$(exits virt_irq)
check "gic-demo: another report (100 more timer interrupts)" wait_gic_demo_reports $((r0 + 2))
t1=$(exits total); v1=$(exits virt_irq)
info "gic-demo: between two reports: $((t1 - t0)) exits, $((v1 - v0)) virt_irq"
check "gic-demo: its interrupts were injected (>= 50 virt_irq exits: $((v1 - v0)))" \
	test $((v1 - v0)) -ge 50
check "gic-demo: at most 3 exits per interrupt ($((t1 - t0)) for $((v1 - v0)))" \
	test $((t1 - t0)) -le $((3 * (v1 - v0) + 20))
check_output "gic-demo: running" "^running$" state gic-demo
check_output "gic-demo: cell stats" "vmexits_total +[0-9]+" jailhouse cell stats gic-demo
check_fails_with "disable refused while a cell exists" "cells exist" jailhouse disable
check "gic-demo: shutdown" jailhouse cell shutdown gic-demo
check_output "gic-demo: shut down" "^shut down$" state gic-demo
check_fails_with "gic-demo: start after shutdown needs a new load" "Exec format error" \
	jailhouse cell start gic-demo

# --- uart-demo in the same cell: ends by itself -------------------------------------------------
check "uart-demo: load into the gic-demo cell" jailhouse cell load gic-demo $INM/uart-demo.bin \
	-s "con=hvc period-ms=50 count=3" -a 0x1000
check "uart-demo: start (the cell's second life)" jailhouse cell start gic-demo
check "uart-demo: it ended by itself" wait_state gic-demo "shut down"
check_output "uart-demo: its lines reached the hypervisor console" "uart-demo: hello 3" \
	jailhouse console

# --- vCPU hygiene: reset-check twice on CPU 3 ---------------------------------------------------
for run in 1 2; do
	check "reset-check $run: load and start" sh -c "jailhouse cell load gic-demo \
		$INM/reset-check.bin -s con=hvc -a 0x1000 && jailhouse cell start gic-demo"
	check "reset-check $run: it dirtied everything" sh -c \
		"sleep 2; [ \$(jailhouse console | grep -c 'reset-check: dirtied') -ge $run ]"
	check_output "reset-check $run: clean" "^$run$" \
		sh -c 'jailhouse console | grep -c "reset-check: clean"'
	check "reset-check $run: shut down" jailhouse cell shutdown gic-demo
done
check_fails "reset-check: no register reported dirty" \
	sh -c 'jailhouse console | grep "reset-check: DIRTY"'
jailhouse console | grep "reset-check: DIRTY" | head -20 | sed 's/^/  | /'

# --- smp-demo beside gic-demo -------------------------------------------------------------------
check "smp-demo: create beside gic-demo" jailhouse cell create /etc/jailhouse/smp-demo.cell
check_output "smp-demo: Linux keeps CPU 0 only" "^0$" cat $ONLINE
check "smp-demo: load and start" sh -c "jailhouse cell load smp-demo $INM/smp-demo.bin \
	-s 'con=hvc print-every=5' -a 0x1000 && jailhouse cell start smp-demo"
check "gic-demo: load and start beside it" sh -c "jailhouse cell load gic-demo $INM/gic-demo.bin \
	-s 'con=hvc samples=50' -a 0x1000 && jailhouse cell start gic-demo"
sleep 4
both="smp-demo +running +1-2 .*gic-demo +running +3 |gic-demo +running +3 .*smp-demo +running +1-2 "
check_output "both running" "$both" sh -c 'jailhouse cell list | tr "\n" " "'
check_output "smp-demo started its second CPU with PSCI CPU_ON" "smp-demo: cpu1 up" \
	jailhouse console
check_output "smp-demo: its second CPU counts timer ticks" "smp-demo: cpu1 .*count=" \
	jailhouse console
sum8() { dd if=/dev/zero bs=1M count=8 2>/dev/null | md5sum; }
check "root Linux still works (8 MiB checksummed twice)" test "$(sum8)" = "$(sum8)"
check "smp-demo: shutdown (asks it)" jailhouse cell shutdown smp-demo
check_output "smp-demo: shut down" "^shut down$" state smp-demo
check_output "gic-demo kept running meanwhile" "^running$" state gic-demo
check "smp-demo: destroy" jailhouse cell destroy smp-demo
check_output "smp-demo: CPUs 1 and 2 back with Linux" "^0-2$" cat $ONLINE
for cpu in 1 2; do
	check_output "CPU $cpu runs Linux work again" "^ok$" taskset -c $cpu echo ok
done

# --- the comm region: deny-shutdown in smp-demo -------------------------------------------------
check "gic-demo: shutdown" jailhouse cell shutdown gic-demo
check "deny-shutdown: create smp-demo again" jailhouse cell create /etc/jailhouse/smp-demo.cell
check "deny-shutdown: load and start" sh -c "jailhouse cell load smp-demo $INM/deny-shutdown.bin \
	-s 'con=hvc period-ms=500' -a 0x1000 && jailhouse cell start smp-demo"
check "deny-shutdown: running/locked" wait_state smp-demo "running/locked"
check_fails_with "deny-shutdown: destroying another cell is vetoed" "Operation not permitted" \
	jailhouse cell destroy gic-demo
check_fails_with "deny-shutdown: first shutdown denied (EPERM)" "Operation not permitted" \
	jailhouse cell shutdown smp-demo
check_output "deny-shutdown: the cell said so" "deny-shutdown: denying shutdown request 1" \
	jailhouse console
check "deny-shutdown: second request approved" jailhouse cell shutdown smp-demo
check_output "deny-shutdown: shut down" "^shut down$" state smp-demo

# --- the Jailhouse inmate API (jh-compat-demo, as upstream's demos are written) -----------------
mark_console
check "jh-compat: load and start in smp-demo" sh -c "jailhouse cell load smp-demo \
	$INM/jh-compat-demo.bin -s 'con=hvc number=-42 hex=0x2a flag noflag=0 name=sdk-user \
	beats=5 deny-first' -a 0x1000 && jailhouse cell start smp-demo"
check "jh-compat: it serves messages, locked" wait_console "jh-compat-demo: serving messages \(locked\)"
check_output "jh-compat: cmdline_parse_int/bool/str" \
	"jh-compat-demo: number=-42 hex=0x2a flag=1 noflag=0 name=sdk-user$" new_console
check_output "jh-compat: comm region JHCOMM, GIC v2" \
	"jh-compat-demo: comm region JHCOMM revision 2, state 0, gic v2," new_console
check_output "jh-compat: five timer interrupts through irq_init/irq_enable/timer_start" \
	"jh-compat-demo: 5 timer interrupts$" new_console
check_fails_with "jh-compat: first shutdown denied by the inmate" "Operation not permitted" \
	jailhouse cell shutdown smp-demo
check "jh-compat: second shutdown succeeds" jailhouse cell shutdown smp-demo
check_output "jh-compat: the inmate took it" "jh-compat-demo: shutdown request 2: shutting down$" \
	new_console
check_fails "jh-compat: no reply timed out" \
	sh -c "jailhouse console | tail -n +$((MARK + 1)) | grep -q 'no reply'"

# --- a cell that never answers: "cpsid aif; b ." (ARM) as its whole image -----------------------
printf '\300\001\014\361\376\377\377\352' > /tmp/hang.bin
check "silent: load and start" sh -c "jailhouse cell load smp-demo /tmp/hang.bin && \
	jailhouse cell start smp-demo"
sleep 1
check_output "silent: running" "^running$" state smp-demo
t0=$(cut -d' ' -f1 /proc/uptime)
check "silent: shutdown completes" timeout 20 jailhouse cell shutdown smp-demo
dt=$(awk -v t0="$t0" '{ printf "%.2f", $1 - t0 }' /proc/uptime)
info "silent: shutdown took $dt s"
check "silent: shutdown bounded (< 5 s: $dt s)" awk "BEGIN { exit !($dt < 5) }"
check_output "silent: console: no reply, FAILED" 'Cell "smp-demo": no reply to message 1' \
	jailhouse console
check "silent: destroy" timeout 20 jailhouse cell destroy smp-demo

check "gic-demo: destroy" jailhouse cell destroy gic-demo
check_output "all CPUs back with Linux" "^0-3$" cat $ONLINE
check "CPU 3 runs Linux again" taskset -c 3 true
check_output "hypervisor memory use back where it began" "^$used0\$" cat $ST/mem_pool_used

# --- the root touching the hypervisor's memory --------------------------------------------------
hv_mem_read() {
	devmem 0x7f800000 32
	echo "status $?"
}
check_output "root reading hypervisor memory gets a bus error (SIGBUS)" "status 135" hv_mem_read
check_output "the hypervisor reported the access with address and PC" \
	"Unhandled data read at 0x7f800000, size 4, PC 0x" jailhouse console

check "disable" jailhouse disable
check_output "disabled in sysfs" "^0$" cat $ST/enabled
check "enable again after all that" jailhouse enable /etc/jailhouse/system.cell
check "gic-demo once more after re-enable" sh -c "jailhouse cell create \
	/etc/jailhouse/gic-demo.cell && jailhouse cell load gic-demo $INM/gic-demo.bin \
	-s 'con=hvc samples=50' -a 0x1000 && jailhouse cell start gic-demo"
check "... reports" wait_gic_demo_reports $(( $(gic_demo_reports) + 1 ))
check "... destroy" jailhouse cell destroy gic-demo
check "disable" jailhouse disable
check "module unloads" rmmod jailhouse
jailhouse console | grep -E "Created cell|Destroyed cell|FAILED" | sed 's/^/  | /'
