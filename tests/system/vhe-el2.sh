# On a CPU with VHE the kernel itself runs at EL2 and there is no hyp stub to take over: the
# module must refuse with a clear message and Linux carries on.
# cpu: max,pauth-impdef=on
# dtb: qemu

check_dmesg "kernel runs at EL2 with VHE" "CPU features: detected: Virtualization Host Extensions"
check_fails_with "jailhouse hardware check says so before (VHE), exit 1" \
	"FAIL +EL2: the kernel runs at EL2 itself \(VHE\)" jailhouse hardware check
check_fails "module refuses to load" insmod /lib/modules/jailhouse.ko
check_dmesg "refusal names VHE and the way out" \
	"jailhouse: .*the kernel runs at EL2 \(VHE\)"
check_fails "no /dev/jailhouse" test -e /dev/jailhouse
check "Linux still runs processes" sh -c 'echo ok | grep -q ok'
