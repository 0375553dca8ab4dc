# Without virtualization=on the CPUs have no EL2: the module must refuse to load with a clear
# message, without ever issuing an hvc (UNDEFINED there), and Linux carries on.
# machine: virt,gic-version=3
# dtb: qemu

check_dmesg "kernel started at EL1" "CPU: All CPU\(s\) started at EL1"
check_fails_with "jailhouse hardware check says so before (no EL2), exit 1" \
	"FAIL +EL2: the kernel was started at EL1" jailhouse hardware check
check_fails "module refuses to load" insmod /lib/modules/jailhouse.ko
check_dmesg "refusal names the missing EL2 and the fix" \
	"jailhouse: cannot use EL2 on CPU [0-9]+: this CPU has no EL2 \(QEMU: add virtualization=on"
check_fails "no /dev/jailhouse" test -e /dev/jailhouse
check "Linux still runs processes" sh -c 'echo ok | grep -q ok'
