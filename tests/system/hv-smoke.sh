# Smoke test: enable, look around, disable.
# timeout: 90
check_output "--help lists the commands" "enable SYSTEM.cell.*" jailhouse --help
check_output "--version" "^jailhouse [0-9]" jailhouse --version
check_fails_with "enable without the module: explained" "module is not loaded" \
	jailhouse enable /etc/jailhouse/system.cell
check "module loads" insmod /lib/modules/jailhouse.ko
check_fails_with "enable without a file: usage" "Usage: jailhouse enable" jailhouse enable
check "enable" jailhouse enable /etc/jailhouse/system.cell
check_output "enabled in sysfs" "^1$" cat /sys/devices/jailhouse/enabled
check_output "4 CPUs online" "^0-3$" cat /sys/devices/system/cpu/online
sleep 1
info "exits cpu0: $(cat /sys/devices/jailhouse/statistics/cpu0/vmexits_total)"
check "disable" jailhouse disable
check_output "disabled in sysfs" "^0$" cat /sys/devices/jailhouse/enabled
check_output "console shows the session" "Hypervisor: disabled" jailhouse console
check_output "sysfs console shows it too" "CPU 0 activated" cat /sys/devices/jailhouse/console
