# ARMv7 without HYP mode (QEMU virt without virtualization=on: every CPU starts in SVC mode and
# ID_PFR1 shows no Virtualization Extensions): the module refuses to load with a clear message,
# without ever issuing an hvc (UNDEFINED there, an oops), jailhouse hardware check says the same
# beforehand, and Linux carries on.
# arch: arm
# machine: virt,highmem=off,gic-version=2
# dtb: qemu
# timeout: 90

check_dmesg "kernel started in SVC mode" "CPU: All CPU\(s\) started in SVC mode"
hw=$(jailhouse hardware check 2>&1)
info "hardware check exit $?"
check_output "jailhouse hardware check: HYP mode missing and why" \
	"FAIL +HYP mode: the kernel was started in SVC mode" echo "$hw"
check_output "jailhouse hardware check: GICv2 without GICH/GICV" \
	"FAIL +interrupt controller: GICv2 .*without its virtualization interfaces" echo "$hw"
check_output "jailhouse hardware check: the QEMU remedy" "virtualization=on" echo "$hw"
check_fails_with "jailhouse hardware check exits 1" "would fail" jailhouse hardware check
check_fails "module refuses to load" insmod /lib/modules/jailhouse.ko
check_dmesg "refusal names the missing Virtualization Extensions and the fix" \
	"jailhouse: cannot use HYP mode on CPU [0-9]+: this CPU has no Virtualization Extensions.*virtualization=on"
check_fails "no /dev/jailhouse" test -e /dev/jailhouse
check_fails_with "enable says the module is not loaded" "module is not loaded" \
	jailhouse enable /etc/jailhouse/system.cell
check_output "Linux still runs processes on every CPU" "^4$" \
	sh -c 'for c in 0 1 2 3; do taskset -c $c echo ok; done | grep -c ok'
