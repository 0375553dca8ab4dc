# With pKVM owning EL2 (kvm-arm.mode=protected overrides the default mode=none) the hyp stub is
# gone: the module must notice that hypercalls are answered by someone else and refuse.
# append: kvm-arm.mode=protected
# dtb: qemu

check_dmesg "pKVM took EL2" "Protected nVHE mode initialized"
check_fails_with "jailhouse hardware check says so before (KVM), exit 1" \
	"FAIL +EL2: KVM owns EL2" jailhouse hardware check
check_fails "module refuses to load" insmod /lib/modules/jailhouse.ko
check_dmesg "refusal names the owner and the fix" \
	"jailhouse: cannot use EL2 on CPU [0-9]+: EL2 is owned by another hypervisor.*kvm-arm.mode=none"
check_fails "no /dev/jailhouse" test -e /dev/jailhouse
