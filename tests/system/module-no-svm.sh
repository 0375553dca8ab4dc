# Without AMD SVM the module refuses to load and says why.
# arch: x86
# cpu: qemu64,-svm

check_fails_with "jailhouse hardware check says so before, exit 1" \
	"FAIL +SVM: the CPUs show no AMD SVM" jailhouse hardware check
check_fails "module refuses to load" insmod /lib/modules/jailhouse.ko
check_dmesg "kernel log says the CPU has no SVM" \
	"jailhouse: cannot use SVM on CPU [0-9]+: this CPU has no AMD SVM"
check_fails "/dev/jailhouse does not exist" test -e /dev/jailhouse
