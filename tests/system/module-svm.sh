# The module loads under Debian's amd64 kernel on CPUs with AMD SVM and nested paging, reports
# them, and the CLI works; the hypervisor memory is reserved by the memmap= command line.
# (module-no-svm, module-no-npt and module-la57 boot the CPUs it refuses.)
# arch: x86

check "4 CPUs online" test "$(cat /sys/devices/system/cpu/online)" = "0-3"
check "hypervisor memory and cell pool reserved (memmap=)" iomem_covers 3a000000 3effffff Reserved
check "module loads" insmod /lib/modules/jailhouse.ko
check "/dev/jailhouse is a character device" test -c /dev/jailhouse
check_output "module reports SVM with nested paging" "^AMD SVM with nested paging available$" \
	cat /sys/devices/jailhouse/svm
check_dmesg "kernel log names all CPUs" \
	"jailhouse: AMD SVM with nested paging available on all 4 online CPUs"
check_output "CLI shows the status" "enabled: 0" jailhouse status
check_output "CLI shows SVM" "^SVM: +AMD SVM" jailhouse status
check_output "CLI reports its version" "^jailhouse [0-9]" jailhouse --version
check_output "statistics show x86 exit counters" "^0$" \
	cat /sys/devices/jailhouse/statistics/cpu0/vmexits_cpuid
check "module unloads" rmmod jailhouse
check_fails "/dev/jailhouse is gone after rmmod" test -e /dev/jailhouse
check_fails_with "CLI explains a missing module" "module is not loaded" jailhouse status
