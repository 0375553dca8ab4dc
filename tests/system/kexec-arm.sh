# ARMv7: kexec while the hypervisor is enabled (issue #20). Linux's kexec hot-unplugs every
# other CPU (PSCI CPU_OFF: parked in the hypervisor), then soft_restart() makes the stub's
# HVC_SOFT_RESTART on the last one: the hypervisor hands the parked CPUs back to the firmware
# (a real PSCI CPU_OFF, waited for until the firmware reports them off) before that CPU leaves
# it and branches to the kexec code in Hyp mode. The second kernel (the same Debian armmp-lpae
# kernel, started by tests/guest/kexec-load with the running DTB and a second initramfs)
# must then start all four CPUs through the firmware's PSCI CPU_ON, in Hyp mode, and enable
# and disable the hypervisor again. CPU 3 went through a cell first. Without the hand-back the
# firmware finds CPUs 1-3 still on and the second kernel runs on one CPU.
# arch: arm
# kexec: yes
# timeout: 240

ONLINE=/sys/devices/system/cpu/online
K=/usr/share/jailhouse/kexec

if grep -q "jhtest.carried=" /proc/cmdline; then
	check_output "second kernel: all 4 CPUs online" "^0-3$" cat $ONLINE
	check_dmesg "second kernel: every CPU started in Hyp mode" \
		"CPU: All CPU\(s\) started in HYP mode"
	check "second kernel: the module loads" insmod /lib/modules/jailhouse.ko
	check "second kernel: enable" jailhouse enable /etc/jailhouse/system.cell
	check_output "second kernel: 4 CPUs online under the hypervisor" "^0-3$" cat $ONLINE
	check "second kernel: CPU 3 runs Linux work as the root" taskset -c 3 true
	check "second kernel: disable" jailhouse disable
	check_output "second kernel: 4 CPUs online after disable" "^0-3$" cat $ONLINE
	return 0
fi

check "module loads" insmod /lib/modules/jailhouse.ko
check "enable" jailhouse enable /etc/jailhouse/system.cell
check "gic-demo runs on CPU 3 and is destroyed" sh -c "
	jailhouse cell create /etc/jailhouse/gic-demo.cell &&
	jailhouse cell load gic-demo /usr/share/jailhouse/inmates/gic-demo.bin -a 0x1000 &&
	jailhouse cell start gic-demo && sleep 1 && jailhouse cell destroy gic-demo"
check_output "CPU 3 back with Linux" "^0-3$" cat $ONLINE
check_output "still enabled" "^1$" cat /sys/devices/jailhouse/enabled
# the second system counts on from here: this run's results and the load below (a failed load
# ends the test in this system, whatever the count says)
passed=$(($(grep -c p /tmp/.jh-results) + 1))
failed=$(grep -c f /tmp/.jh-results)
check "kexec image loads (kernel, running DTB, second initramfs)" kexec-load -l $K/kernel \
	$K/initrd.cpio "$(cat /proc/cmdline) jhtest.carried=$passed,$failed"
[ "$(grep -c f /tmp/.jh-results)" = "$failed" ] || return 0
echo "kexec into the second kernel"
out=$(kexec-load -e 2>&1)
_jh_fail "kexec: the second kernel starts" "$out"
