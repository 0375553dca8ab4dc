# Hypercalls from the root through the driver: DEBUG_CONSOLE_PUTC (writes to /dev/jailhouse),
# HYPERVISOR_GET_INFO (memory pool in sysfs), CPU_GET_INFO (exit counters). The test ends with
# the hypervisor still enabled: powering off must work from the root cell (PSCI SYSTEM_OFF).
# timeout: 90

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
a=$(taskset -c 1 cat /sys/devices/jailhouse/statistics/cpu1/vmexits_hypercall)
b=$(taskset -c 1 cat /sys/devices/jailhouse/statistics/cpu1/vmexits_hypercall)
info "CPU_GET_INFO on cpu1: hypercall counter $a then $b"
check "CPU_GET_INFO counters are live (each read on cpu1 is a hypercall there)" test "$b" -gt "$a"
check "disable" jailhouse disable
check_output "the marker reached the hypervisor console" "marker-from-root-cell" jailhouse console
check "enable again, and stay enabled for the power-off" jailhouse enable /etc/jailhouse/system.cell
