# x86: enable right after Linux hot-plugged a CPU (it came back through a real INIT/SIPI just
# before), ten times, with a refused enable (a CPU offline) in between: every CPU enters the
# hypervisor and Linux keeps working on all four as the root; disable gives them back. Once
# (hv-bad-config-x86, 09:10) Linux's CPU 2 jumped to 0x80 right after such an enable (B5): the
# CPUs entering at once took their VMCB and host save pages from an unlocked page allocator, and
# two got the same page. That race is rare here; hv/tests/test_page_alloc.c catches it every time.
# arch: x86
# timeout: 300

ONLINE=/sys/devices/system/cpu/online
round() {	# round N CPU: offline CPU, refused enable, online, enable, work, disable
	echo 0 > /sys/devices/system/cpu/cpu$2/online || return 1
	jailhouse enable /etc/jailhouse/system.cell 2>/dev/null && { echo "enable with cpu$2 off"; return 1; }
	echo 1 > /sys/devices/system/cpu/cpu$2/online || return 1
	jailhouse enable /etc/jailhouse/system.cell || { echo "enable $1 failed"; return 1; }
	for c in 0 1 2 3; do
		taskset -c $c sh -c 'i=0; while [ $i -lt 500 ]; do i=$((i + 1)); done' ||
			{ echo "cpu$c did not run"; return 1; }
	done
	[ "$(cat $ONLINE)" = 0-3 ] || { echo "online: $(cat $ONLINE)"; return 1; }
	jailhouse disable || { echo "disable $1 failed"; return 1; }
}

check "module loads" insmod /lib/modules/jailhouse.ko
for n in 1 2 3 4 5 6 7 8 9 10; do
	check "round $n: cpu$((n % 3 + 1)) hot-plugged, then enable, work on all CPUs, disable" \
		round $n $((n % 3 + 1))
done
check_output "all CPUs online" "^0-3$" cat $ONLINE
check_fails "no kernel trouble" sh -c 'dmesg | grep -E "BUG:|Oops"'
check "module unloads" rmmod jailhouse
