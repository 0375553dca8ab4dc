# With the x86 hypervisor enabled, the root Linux keeps working: all CPUs schedule, time runs,
# CPU- and memory-heavy work gives stable results, fork/exec storms and CPU hotplug (INIT/SIPI
# through the emulated xAPIC) work; then it is disabled again, and enable/disable survives 10
# rounds in one boot.
# arch: x86
# timeout: 360

cpu_busy_ticks() {	# user+system ticks of cpuN from /proc/stat
	awk -v c="cpu$1" '$1 == c { print $2 + $4 }' /proc/stat
}

all_cpus_ran() {
	for c in 0 1 2 3; do eval "b$c=$(cpu_busy_ticks $c)"; done
	for c in 0 1 2 3; do taskset -c $c sh -c 'i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done' & done
	wait
	for c in 0 1 2 3; do
		eval "before=\$b$c"
		[ "$(cpu_busy_ticks $c)" -gt "$before" ] || { echo "cpu$c did not run"; return 1; }
	done
}

time_advances() {
	t0=$(cut -d. -f1 /proc/uptime); sleep 3; t1=$(cut -d. -f1 /proc/uptime)
	echo "uptime $t0 -> $t1"
	[ $((t1 - t0)) -ge 2 ] && [ $((t1 - t0)) -le 6 ]
}

checksum_twice() {
	dd if=/dev/urandom of=/tmp/big bs=1M count=64 2>/dev/null || return 1
	a=$(md5sum < /tmp/big); b=$(md5sum < /tmp/big)
	rm -f /tmp/big
	echo "$a / $b"
	[ -n "$a" ] && [ "$a" = "$b" ]
}

fork_storm() {
	for j in 1 2 3 4; do
		( i=0; while [ $i -lt 150 ]; do /bin/busybox true || exit 1; i=$((i+1)); done ) &
	done
	ok=0
	for j in 1 2 3 4; do wait %$j 2>/dev/null || ok=1; done
	wait
	return $ok
}

hotplug_cpu3() {
	echo 0 > /sys/devices/system/cpu/cpu3/online || return 1
	[ "$(cat /sys/devices/system/cpu/online)" = "0-2" ] || return 1
	echo 1 > /sys/devices/system/cpu/cpu3/online || return 1
	[ "$(cat /sys/devices/system/cpu/online)" = "0-3" ] || return 1
	taskset -c 3 /bin/busybox true
}

check "module loads" insmod /lib/modules/jailhouse.ko
check "enable" jailhouse enable /etc/jailhouse/system.cell
check_output "enabled" "^1$" cat /sys/devices/jailhouse/enabled
check_output "4 CPUs online" "^0-3$" cat /sys/devices/system/cpu/online
check_output "Linux sees the hypervisor's CPUID leaf" "^hypervisor$" \
	sh -c 'grep -o -w -m1 hypervisor /proc/cpuinfo'
check "every CPU schedules work" all_cpus_ran
check "time advances" time_advances
check_output "64 MiB checksum twice, equal" " / " checksum_twice
check "fork/exec storm (600 execs on 4 CPUs)" fork_storm
is0=$(cat /sys/devices/jailhouse/statistics/cpu3/vmexits_init_sipi)
check "CPU 3 hot-unplugged and re-plugged" hotplug_cpu3
check "every CPU schedules work after hotplug" all_cpus_ran
is1=$(cat /sys/devices/jailhouse/statistics/cpu3/vmexits_init_sipi)
check "INIT/SIPI exits were counted on CPU 3 ($is0 -> $is1)" test "$is1" -gt "$is0"
check_output "the PCI configuration space still reads (0xcf8/0xcfc, trapped)" "^[1-9][0-9]*$" \
	sh -c 'ls /sys/bus/pci/devices | wc -l'
check_fails "module cannot be removed while enabled" rmmod jailhouse
check_output "memory pool size reported" "^[1-9][0-9]*$" cat /sys/devices/jailhouse/mem_pool_size
check_output "memory pool use reported" "^[1-9][0-9]*$" cat /sys/devices/jailhouse/mem_pool_used
info "memory pool: $(cat /sys/devices/jailhouse/mem_pool_used) of $(cat /sys/devices/jailhouse/mem_pool_size) pages used"
check "disable" jailhouse disable
check_output "disabled" "^0$" cat /sys/devices/jailhouse/enabled
check_output "SVM free again after disable" "AMD SVM with nested paging available" \
	cat /sys/devices/jailhouse/svm
check "every CPU schedules work after disable" all_cpus_ran
check_output "hypervisor console kept after disable" "Hypervisor: disabled" jailhouse console

cycles() {
	for i in 1 2 3 4 5 6 7 8 9 10; do
		jailhouse enable /etc/jailhouse/system.cell || { echo "enable $i failed"; return 1; }
		[ "$(cat /sys/devices/jailhouse/enabled)" = 1 ] || return 1
		/bin/busybox true
		jailhouse disable || { echo "disable $i failed"; return 1; }
	done
}
check "10 enable/disable cycles in one boot" cycles
check_output "still 4 CPUs online" "^0-3$" cat /sys/devices/system/cpu/online
check "module unloads after disable" rmmod jailhouse
