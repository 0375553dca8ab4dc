# x86 smoke test: enable the hypervisor under the running Linux (every CPU enters through the
# driver's trampoline), Linux keeps working on all four CPUs as the root cell, disable, and do
# both once more (the second enable starts from a hypervisor memory the first one used).
# arch: x86
# timeout: 240

work_on() {	# work_on CPU: a shell loop pinned to CPU
	taskset -c "$1" sh -c 'i=0; while [ $i -lt 3000 ]; do i=$((i + 1)); done; echo done'
}

check "module loads" insmod /lib/modules/jailhouse.ko
check_output "the root's command line reserves the hypervisor memory" "memmap=" cat /proc/cmdline
for round in 1 2; do
	check "enable ($round)" jailhouse enable /etc/jailhouse/system.cell
	check_output "enabled in sysfs ($round)" "^1$" cat /sys/devices/jailhouse/enabled
	check_output "4 CPUs online ($round)" "^0-3$" cat /sys/devices/system/cpu/online
	for cpu in 0 1 2 3; do
		check_output "CPU $cpu runs Linux work as the root ($round)" "^done$" work_on $cpu
	done
	check_output "CPU 1 counted exits ($round)" "^[0-9]+$" \
		cat /sys/devices/jailhouse/statistics/cpu1/vmexits_total
	info "exits cpu0: $(cat /sys/devices/jailhouse/statistics/cpu0/vmexits_total)"
	check_output "CLI status says enabled ($round)" "enabled: 1" jailhouse status
	check_output "sysfs says SVM is the hypervisor's ($round)" "SVM owned by this hypervisor" \
		cat /sys/devices/jailhouse/svm
	check_fails_with "a second enable is refused ($round)" "already enabled" \
		jailhouse enable /etc/jailhouse/system.cell
	check "disable ($round)" jailhouse disable
	check_output "disabled in sysfs ($round)" "^0$" cat /sys/devices/jailhouse/enabled
	for cpu in 0 1 2 3; do
		check_output "CPU $cpu runs Linux work natively ($round)" "^done$" work_on $cpu
	done
done
check_dmesg "the kernel log names the root cell" \
	"jailhouse: hypervisor enabled on 4 CPUs, Linux runs as root cell"
check_output "the hypervisor console shows the session" "Hypervisor: disabled" jailhouse console
check_output "sysfs console shows it too" "CPU 0 activated" cat /sys/devices/jailhouse/console
check "module unloads" rmmod jailhouse
