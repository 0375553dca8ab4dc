# With AMD SVM but without nested paging the module refuses to load and says why.
# arch: x86
# cpu: qemu64,+svm,-npt

check_fails_with "jailhouse hardware check says so before, exit 1" \
	"FAIL +nested paging: SVM without NPT" jailhouse hardware check
check_fails "module refuses to load" insmod /lib/modules/jailhouse.ko
check_dmesg "kernel log says nested paging is missing" \
	"jailhouse: cannot use SVM on CPU [0-9]+: this CPU has AMD SVM but no nested paging"
check_fails "/dev/jailhouse does not exist" test -e /dev/jailhouse
