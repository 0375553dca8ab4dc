# x86: management requests from concurrent CLI processes are taken one at a time, each whole:
# a destroy racing a create of the same cell (apic-demo: same name, id and CPU 2) leaves either
# no cell or one cell that sysfs, `cell list`, the CPUs and the pool all agree on; never a cell
# the hypervisor holds and the driver forgot. Then tight create/destroy cycles of smp-demo: a
# CPU Linux has just offlined reaches its final HLT (and is parked) before the create needs it,
# so no create is refused as "still online".
# arch: x86
# timeout: 420

APIC=/etc/jailhouse/apic-demo.cell
UART=/etc/jailhouse/uart-demo.cell
SMP=/etc/jailhouse/smp-demo.cell
CELLS=/sys/devices/jailhouse/cells

check "module loads" insmod /lib/modules/jailhouse.ko
check "enable" jailhouse enable /etc/jailhouse/system.cell
used0=$(cat /sys/devices/jailhouse/mem_pool_used)
dmesg_has() { dmesg | grep -q "$1"; }

# agree: the driver, sysfs, Linux's CPUs and the hypervisor's pool tell one story
agree() {
	n=$(ls $CELLS | wc -l)
	listed=$(jailhouse cell list | grep -c apic-demo)
	online=$(cat /sys/devices/system/cpu/online)
	if [ "$n" = 1 ] && [ "$listed" = 1 ] && [ "$online" = 0-1,3 ] &&
	   [ "$(cat $CELLS/*/name)" = apic-demo ]; then
		return 0
	fi
	echo "cells $n, listed $listed, online $online, pool $(cat /sys/devices/jailhouse/mem_pool_used)"
	[ "$n" = 0 ] && [ "$listed" = 0 ] && [ "$online" = 0-3 ] &&
		[ "$(cat /sys/devices/jailhouse/mem_pool_used)" = "$used0" ]
}

for round in 1 2 3 4 5; do
	check "round $round: apic-demo created" jailhouse cell create $APIC
	dmesg -c > /dev/null
	jailhouse cell destroy apic-demo > /tmp/destroy.out 2>&1 &
	jailhouse cell create $APIC > /tmp/create.out 2>&1 &
	wait
	check_output "round $round: the destroy completed" "^$" cat /tmp/destroy.out
	check_output "round $round: the create succeeded or found the cell still there" \
		"^Cell \"apic-demo\" created|exists already" cat /tmp/create.out
	check "round $round: driver, sysfs, CPUs and pool agree" agree
	check_fails "round $round: no sysfs name clash" dmesg_has "duplicate filename"
	check_fails "round $round: no CPU left behind" dmesg_has "could not be brought back"
	[ -d $CELLS/1 ] && jailhouse cell destroy apic-demo
	check_output "round $round: after cleanup all CPUs are Linux's" "^0-3$" \
		cat /sys/devices/system/cpu/online
	check_output "round $round: pool use back to $used0" "^$used0\$" \
		cat /sys/devices/jailhouse/mem_pool_used
done

# Two creates and a destroy at once, three times: the same invariants
for round in 1 2 3; do
	jailhouse cell create $APIC > /dev/null 2>&1 &
	jailhouse cell create $UART > /dev/null 2>&1 &
	jailhouse cell destroy apic-demo > /dev/null 2>&1 &
	wait
	check_output "triple $round: every cell in sysfs is in cell list" "^$(ls $CELLS | wc -l)\$" \
		sh -c "jailhouse cell list | tail -n +2 | wc -l"
	for c in apic-demo uart-demo; do
		jailhouse cell destroy $c > /dev/null 2>&1
	done
	check_output "triple $round: all cells gone, all CPUs back" "^0-3$" \
		cat /sys/devices/system/cpu/online
	check_output "triple $round: pool use back" "^$used0\$" \
		cat /sys/devices/jailhouse/mem_pool_used
done

# Tight cycles: create takes CPUs 2-3 right after Linux offlined them
t0=$(cut -d' ' -f1 /proc/uptime)
refused=0
for i in $(seq 40); do
	if ! out=$(jailhouse cell create $SMP 2>&1); then
		refused=$((refused + 1))
		echo "cycle $i: $out"
		continue
	fi
	jailhouse cell destroy smp-demo > /dev/null 2>&1 || echo "cycle $i: destroy failed"
done
t1=$(cut -d' ' -f1 /proc/uptime)
info "40 create/destroy cycles of smp-demo in $(echo "$t0 $t1" | awk '{ printf "%.1f", $2 - $1 }') s"
check_output "40 tight cycles: no create refused" "^0$" echo $refused
check_output "... all CPUs back" "^0-3$" cat /sys/devices/system/cpu/online
check_output "... pool use back" "^$used0\$" cat /sys/devices/jailhouse/mem_pool_used
check "CPUs 2 and 3 run Linux work" sh -c 'taskset -c 2 true && taskset -c 3 true'
check "disable" jailhouse disable
