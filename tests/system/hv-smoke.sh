# Smoke test: enable, look around, disable.
# timeout: 90
check "module loads" insmod /lib/modules/jailhouse.ko
check "enable" jailhouse enable /etc/jailhouse/system.cell
check_output "enabled in sysfs" "^1$" cat /sys/devices/jailhouse/enabled
check_output "4 CPUs online" "^0-3$" cat /sys/devices/system/cpu/online
sleep 1
info "exits cpu0: $(cat /sys/devices/jailhouse/statistics/cpu0/vmexits_total)"
check "disable" jailhouse disable
check_output "disabled in sysfs" "^0$" cat /sys/devices/jailhouse/enabled
jailhouse console
