# x86: malformed requests on /dev/jailhouse and operations in the wrong state get a clean errno
# and a message, disabled and enabled (the cases that need no cell); the kernel log stays free
# of oopses and warnings (the runner fails the test on any), the hypervisor keeps working and
# the module unloads afterwards.
# arch: x86
# timeout: 120

check "module loads" insmod /lib/modules/jailhouse.ko
abuse() {	# abuse CASE ERRNO-REGEX
	check_output "$1 refused with $2" "errno=($2) " jh-ioctl "$1"
}

abuse enable-null EFAULT
abuse enable-null-config EFAULT
abuse enable-huge "E2BIG|EINVAL"
abuse enable-truncated EINVAL
abuse enable-flags EINVAL
abuse create-null "EFAULT|EINVAL|ENODEV"
abuse start-unknown-id ENODEV
abuse destroy-root ENODEV
check_dmesg "... the kernel log says why" "cell destroy: hypervisor not enabled"
abuse unknown-command "ENOTTY"
abuse wrong-type "ENOTTY"
check_fails_with "disable while disabled is explained" "not enabled" jailhouse disable
head -c 4096 /dev/urandom > /tmp/junk.cell
check_fails_with "enable with a junk config is refused" "." jailhouse enable /tmp/junk.cell
check_output "... and nothing was enabled" "^0$" cat /sys/devices/jailhouse/enabled

check "enable" jailhouse enable /etc/jailhouse/system.cell
abuse enable-null "EFAULT|EBUSY"
abuse create-null EFAULT
abuse create-null-config EFAULT
abuse create-huge EFBIG
abuse create-truncated ENODATA
abuse load-null EFAULT
abuse start-null EFAULT
abuse start-unknown-id ENOENT
abuse start-unknown-name ENOENT
abuse start-root EINVAL
abuse destroy-null EFAULT
abuse destroy-unknown-id ENOENT
abuse destroy-root EINVAL
abuse unknown-command ENOTTY
check_fails_with "a system blob is no cell" "." jailhouse cell create /etc/jailhouse/system.cell
check_fails_with "a junk cell is refused" "." jailhouse cell create /tmp/junk.cell
check_output "... still enabled" "^1$" cat /sys/devices/jailhouse/enabled
check_output "Linux still works on CPU 3" "^ok$" taskset -c 3 echo ok
check "disable" jailhouse disable
check "rmmod" rmmod jailhouse
