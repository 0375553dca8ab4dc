# ARMv7 smoke test: the module finds HYP mode without __boot_cpu_mode (and refuses with the
# remedy once the kernel log that says so is cleared), every CPU enters the hypervisor through
# the Linux stub's HVC_SOFT_RESTART, Linux keeps working on all four CPUs as the root cell, a
# root CPU goes offline and online again while enabled (QEMU's PSCI CPU_ON starts it in HYP
# mode: the hypervisor takes it back), disable returns every CPU to the stub (its unknown-HVC
# answer is back on all of them), twice.
# arch: arm
# timeout: 150

work_on() {	# work_on CPU: a shell loop pinned to CPU
	taskset -c "$1" sh -c 'i=0; while [ $i -lt 2000 ]; do i=$((i + 1)); done; echo done'
}

exits_of() {	# exits_of CPU: the hypervisor's exit count of that CPU
	cat /sys/devices/jailhouse/statistics/cpu$1/vmexits_total
}

check_output "the armhf CLI runs: --version" "^jailhouse [0-9]" jailhouse --version
hw=$(jailhouse hardware check 2>&1)
info "hardware check exit $?"
check_output "hardware check: HYP mode" "OK +HYP mode: all CPUs started in HYP mode" echo "$hw"
check_output "hardware check: GICv2 with GICH, GICV and the maintenance interrupt" \
	"OK +interrupt controller: GICv2 .*GICH 0x8030000, GICV 0x8040000, maintenance interrupt INTID 25" \
	echo "$hw"
check_output "hardware check: LPAE" "OK +LPAE: ARMv7" echo "$hw"
check_output "hardware check: the configuration fits the machine" "OK +GIC of the configuration" \
	echo "$hw"
check_output "hardware check: nothing fails" "nothing found that makes jailhouse enable fail" \
	echo "$hw"

# The boot log is the module's only evidence of HYP mode (__boot_cpu_mode is not exported).
dmesg -c > /dev/null
check_fails "the module refuses once the log no longer says HYP mode" \
	insmod /lib/modules/jailhouse.ko
check_dmesg "its message names the remedy" "log cleared or wrapped.*assume_hyp_boot=1"
check "the module loads with assume_hyp_boot=1" insmod /lib/modules/jailhouse.ko assume_hyp_boot=1
check_output "sysfs: the stub answers on every CPU" "HYP mode available, Linux hyp stub installed" \
	cat /sys/devices/jailhouse/hyp
check_output "jailhouse status names HYP mode" "HYP: +HYP mode available" jailhouse status

for round in 1 2; do
	check "enable ($round)" jailhouse enable /etc/jailhouse/system.cell
	check_output "enabled in sysfs ($round)" "^1$" cat /sys/devices/jailhouse/enabled
	check_output "sysfs: HYP mode is the hypervisor's ($round)" \
		"HYP mode owned by this hypervisor" cat /sys/devices/jailhouse/hyp
	check_output "4 CPUs online ($round)" "^0-3$" cat /sys/devices/system/cpu/online
	for cpu in 0 1 2 3; do
		check_output "CPU $cpu runs Linux work as the root ($round)" "^done$" work_on $cpu
	done
	check_output "CPU 2 counted exits ($round)" "^[0-9]+$" exits_of 2
	check_fails_with "a second enable is refused ($round)" "already enabled" \
		jailhouse enable /etc/jailhouse/system.cell

	# hotplug of a root CPU while enabled: PSCI CPU_OFF, then CPU_ON (trapped SMCs)
	check "CPU 3 goes offline ($round)" sh -c 'echo 0 > /sys/devices/system/cpu/cpu3/online'
	check_output "3 CPUs online ($round)" "^0-2$" cat /sys/devices/system/cpu/online
	check_fails_with "disable with a CPU offline is refused ($round)" "offline" jailhouse disable
	check "CPU 3 comes back online ($round)" sh -c 'echo 1 > /sys/devices/system/cpu/cpu3/online'
	check_output "4 CPUs online again ($round)" "^0-3$" cat /sys/devices/system/cpu/online
	before=$(exits_of 3)
	check_output "CPU 3 runs Linux work after coming back ($round)" "^done$" work_on 3
	sleep 1
	after=$(exits_of 3)
	info "cpu3 exits before/after its work: $before $after"
	check "CPU 3 is back under the hypervisor: its exits count on ($round)" \
		test "$after" -gt "$before"

	check "disable ($round)" jailhouse disable
	check_output "disabled in sysfs ($round)" "^0$" cat /sys/devices/jailhouse/enabled
	check_output "the Linux stub answers again on every CPU ($round)" \
		"HYP mode available, Linux hyp stub installed" cat /sys/devices/jailhouse/hyp
	for cpu in 0 1 2 3; do
		check_output "CPU $cpu runs Linux work natively ($round)" "^done$" work_on $cpu
	done
done
check_output "the hypervisor console shows the session" "Hypervisor: disabled" jailhouse console
check_output "sysfs console shows it too" "CPU 0 activated" cat /sys/devices/jailhouse/console
check "CPU 1 hotplug after disable (the stub's own path)" \
	sh -c 'echo 0 > /sys/devices/system/cpu/cpu1/online && echo 1 > /sys/devices/system/cpu/cpu1/online'
check_output "the stub is there on the re-onlined CPU too" \
	"HYP mode available, Linux hyp stub installed" cat /sys/devices/jailhouse/hyp
check "module unloads" rmmod jailhouse
