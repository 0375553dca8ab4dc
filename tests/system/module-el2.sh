# The module loads under the stock Debian kernel, finds EL2 with the Linux hyp stub on every
# CPU, and creates /dev/jailhouse and /sys/devices/jailhouse.
# dtb: qemu

check "4 CPUs online" test "$(cat /sys/devices/system/cpu/online)" = "0-3"
check "kernel runs at EL1, EL2 left to the hyp stub" sh -c "dmesg | grep -q \"CPU: All CPU(s) started at EL2\""
check "module loads" insmod /lib/modules/jailhouse.ko
check "/dev/jailhouse is a character device" test -c /dev/jailhouse
check_output "module reports EL2 with the hyp stub" "EL2 available, Linux hyp stub installed" \
	cat /sys/devices/jailhouse/el2
check_dmesg "kernel log names all CPUs" "jailhouse: EL2 available.* on all 4 online CPUs"
check_output "CLI shows the status" "enabled: 0" jailhouse status
check_output "CLI reports its version" "^jailhouse [0-9]" jailhouse --version
check "module unloads" rmmod jailhouse
check_fails "/dev/jailhouse is gone after rmmod" test -e /dev/jailhouse
check_fails_with "CLI explains a missing module" "module is not loaded" jailhouse status
