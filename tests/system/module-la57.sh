# A kernel on 5-level paging (CR4.LA57) is refused with a clear message: the hypervisor's
# page tables and NPT are 4-level.
# arch: x86
# cpu: qemu64,+svm,+npt,+la57

check_output "the kernel runs on 5-level paging" "la57" grep -m1 ^flags /proc/cpuinfo
check_fails_with "jailhouse hardware check says so before, exit 1" \
	"FAIL +paging: Linux uses 5-level paging" jailhouse hardware check
check_fails "module refuses to load" insmod /lib/modules/jailhouse.ko
check_dmesg "kernel log names 5-level paging" \
	"jailhouse: cannot use SVM on CPU [0-9]+: the kernel uses 5-level paging"
