# x86 hypercalls (VMMCALL) from the root through the driver: DEBUG_CONSOLE_PUTC (writes to
# /dev/jailhouse), HYPERVISOR_GET_INFO (memory pool in sysfs), CPU_GET_INFO (exit counters, live).
# The test ends with the hypervisor still enabled: powering off must work from the root cell
# (ACPI PM1 control through the root's ports).
# arch: x86
# timeout: 120

STATS=/sys/devices/jailhouse/statistics
check "module loads" insmod /lib/modules/jailhouse.ko
check_fails_with "console write while disabled refused" "Invalid argument" \
	sh -c 'echo x > /dev/jailhouse'
check "enable" jailhouse enable /etc/jailhouse/system.cell
check "root writes to the hypervisor console (DEBUG_CONSOLE_PUTC)" \
	sh -c 'echo "marker-from-root-cell" > /dev/jailhouse'
check_output "pool size from HYPERVISOR_GET_INFO" "^[1-9][0-9]+$" \
	cat /sys/devices/jailhouse/mem_pool_size
used=$(cat /sys/devices/jailhouse/mem_pool_used)
check "pool use below pool size" test "$used" -lt "$(cat /sys/devices/jailhouse/mem_pool_size)"
check "pool use above zero" test "$used" -gt 0
a=$(taskset -c 1 cat $STATS/cpu1/vmexits_hypercall)
b=$(taskset -c 1 cat $STATS/cpu1/vmexits_hypercall)
info "CPU_GET_INFO on cpu1: hypercall counter $a then $b"
check "CPU_GET_INFO counters are live (each read on cpu1 is a VMMCALL there)" test "$b" -gt "$a"
t=$(cat $STATS/cpu2/vmexits_total)
c=$(cat $STATS/cpu2/vmexits_cpuid)
info "cpu2: $t exits in all, $c CPUID"
check "the total counts at least the CPUID exits" test "$t" -ge "$c"
c1=$(cat $STATS/cpu3/vmexits_cpuid)
taskset -c 3 cat /proc/cpuinfo > /dev/null
c2=$(cat $STATS/cpu3/vmexits_cpuid)
check_output "a CPUID exit counted: /proc/cpuinfo on cpu3 ($c1 -> $c2)" "^ok$" \
	sh -c "[ $c2 -ge $c1 ] && echo ok"
check_fails_with "no CPU 4" "No such file" cat $STATS/cpu4/vmexits_total
check "disable" jailhouse disable
check_output "the marker reached the hypervisor console" "^marker-from-root-cell$" \
	jailhouse console
check "enable again, and stay enabled for the power-off" jailhouse enable /etc/jailhouse/system.cell
