# ARMv7: kexec while a cell runs (docs/hypervisor.md, "kexec while enabled"). The root's
# HVC_SOFT_RESTART cannot hand Hyp mode over under a running cell, and Linux cannot take an
# error back at that point (its MMU is off, its other CPUs and devices are shut down): the
# hypervisor parks the root's CPU as by PSCI CPU_OFF. The root stops with that console line, no
# fatal trap follows, and the cell keeps running (its reports go on after the line).
# arch: arm
# kexec: yes
# stops: the root's HVC_SOFT_RESTART \(kexec\) while cells exist: CPU parked
# after-stop: ^\[gic-demo\] latency ns:
# timeout: 150

K=/usr/share/jailhouse/kexec
check "module loads" insmod /lib/modules/jailhouse.ko
check "enable" jailhouse enable /etc/jailhouse/system.cell
check "gic-demo runs on CPU 3" sh -c "jailhouse cell create /etc/jailhouse/gic-demo.cell &&
	jailhouse cell load gic-demo /usr/share/jailhouse/inmates/gic-demo.bin \
		-s 'con=hvc samples=50' -a 0x1000 && jailhouse cell start gic-demo"
check "gic-demo reports" wait_for 20 sh -c "jailhouse console | grep -q '^\[gic-demo\] latency'"
check "kexec image loads" kexec-load -l $K/kernel $K/initrd.cpio "$(cat /proc/cmdline)"
echo "kexec with a cell running; the root is expected to stop"
out=$(kexec-load -e 2>&1)
_jh_fail "kexec: the root's CPU stopped in the hypervisor" "$out"
