# x86: malformed requests on /dev/jailhouse and operations in the wrong state get a clean errno
# and a message while the hypervisor is not enabled; the kernel log stays free of oopses and
# warnings (the runner fails the test on any) and the module unloads afterwards.
# (The enabled half of hostile-ioctl.sh needs the x86 hypervisor and cells.)
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
check "rmmod" rmmod jailhouse
