# Malformed requests on /dev/jailhouse and operations in the wrong state get a clean errno and a
# message; the kernel log stays free of oopses and warnings (the runner fails the test on any),
# and the hypervisor keeps working afterwards.
# timeout: 180

insmod /lib/modules/jailhouse.ko
abuse() {	# abuse CASE ERRNO-REGEX
	check_output "$1 refused with $2" "errno=($2) " jh-ioctl "$1"
}

# Disabled: everything that needs the hypervisor is refused before touching anything.
abuse enable-null EFAULT
abuse enable-null-config EFAULT
abuse enable-huge "E2BIG|EINVAL"
abuse enable-truncated EINVAL
abuse enable-flags EINVAL
abuse enable-high-config EFAULT
abuse create-null "EFAULT|EINVAL|ENODEV"
abuse start-unknown-id ENODEV
abuse destroy-root ENODEV
check_dmesg "... the kernel log says why" "cell destroy: hypervisor not enabled"
abuse unknown-command "ENOTTY"
abuse wrong-type "ENOTTY"
check_fails_with "disable while disabled is explained" "not enabled" jailhouse disable
check_fails_with "cell create while disabled is explained" "not enabled" \
	jailhouse cell create /etc/jailhouse/gic-demo.cell

check "enable" jailhouse enable /etc/jailhouse/system.cell
abuse enable-null "EFAULT|EBUSY"
abuse create-null EFAULT
abuse create-null-config EFAULT
abuse create-huge EFBIG
abuse create-truncated ENODATA
abuse create-high-config EFAULT
abuse load-null EFAULT
abuse load-too-many-images "E2BIG|EINVAL|ENOENT"
abuse start-null EFAULT
abuse start-unknown-id ENOENT
check_dmesg "... the kernel log names the id" "cell start: no cell with id [0-9]+"
abuse start-unknown-name ENOENT
check_dmesg "... the kernel log names the cell" "cell start: no cell named"
abuse start-unterminated-name ENOENT
abuse start-root EINVAL
check_dmesg "... the kernel log says it is the root" "cell start: id 0 is the root cell"
abuse destroy-null EFAULT
abuse destroy-unknown-id ENOENT
abuse destroy-root EINVAL
check_dmesg "... the kernel log says it is the root" "cell destroy: id 0 is the root cell"
abuse unknown-command ENOTTY
check_fails_with "a system blob is no cell" "." jailhouse cell create /etc/jailhouse/system.cell
check_fails_with "start before create names the cell" "gic-demo" jailhouse cell start gic-demo

check "create gic-demo" jailhouse cell create /etc/jailhouse/gic-demo.cell
check_fails_with "create twice is refused" "exist|EEXIST|busy" \
	jailhouse cell create /etc/jailhouse/gic-demo.cell
abuse load-bad-image-pointer EFAULT
check_fails_with "start before load is refused" "Exec format error" jailhouse cell start gic-demo
check_dmesg "... the kernel log says why" "\"gic-demo\" not started: no image loaded"
check_output "... the cell did not start" "^shut down$" cat /sys/devices/jailhouse/cells/1/state
check "load it" jailhouse cell load gic-demo /usr/share/jailhouse/inmates/gic-demo.bin \
	-s "con=hvc" -a 0x1000
check "start it" jailhouse cell start gic-demo
check "shut it down" jailhouse cell shutdown gic-demo
check_fails_with "start after shutdown needs a new load" "Exec format error" \
	jailhouse cell start gic-demo
check_fails_with "disable with a cell is refused" "cells exist" jailhouse disable
check_fails_with "rmmod while enabled is refused" "jailhouse" rmmod jailhouse
check "destroy gic-demo" jailhouse cell destroy gic-demo
check_output "CPUs back online" "^0-3$" cat /sys/devices/system/cpu/online
check "disable" jailhouse disable
check "rmmod" rmmod jailhouse
