# `configgen create` end to end: the system description generated on the host from a snapshot
# of this very QEMU guest (tests/configgen/fixtures/qemu-arm64-snapshot: its /sys/firmware/fdt,
# /proc/iomem and online CPUs) is compiled (build/configs/live/create-*; tests/configgen/
# test_create.py leaves them there), the guest boots with the generated root DTB, and the
# generated system configuration enables the hypervisor.
# dtb: configs/live/create-root.dtb
# timeout: 180

check "booted with the generated root DTB (hypervisor reserved)" \
	test -d /proc/device-tree/reserved-memory/hypervisor@7f800000
check "cell pool reserved by the generated board part" \
	test -d /proc/device-tree/reserved-memory/cell-pool@68000000
check_output "4 CPUs online" "^0-3$" cat /sys/devices/system/cpu/online
check "root RAM is System RAM" iomem_covers 40000000 67ffffff "System RAM"
check_fails "hypervisor memory is not System RAM" iomem_covers 7f800000 7fffffff "System RAM"
check_fails "cell pool is not System RAM" iomem_covers 68000000 7f7fffff "System RAM"
check "the root drives the PCIe host (its ECAM window in /proc/iomem)" grep -q "PCI ECAM" /proc/iomem
check "generated system config present" test -s /etc/jailhouse/create-system.cell
check "module loads" insmod /lib/modules/jailhouse.ko
check "jailhouse enable with the generated system config" jailhouse enable /etc/jailhouse/create-system.cell
check_output "enabled" "^1$" cat /sys/devices/jailhouse/enabled
check_dmesg "root cell is the generated one" "Linux runs as root cell \"root-linux\""
check "root Linux still runs work on CPU 3" taskset -c 3 /bin/busybox true
check_output "root reads PCI configuration space through the ECAM window mapped for it" "^ *1b36$" \
	od -An -tx2 -N2 /sys/bus/pci/devices/0000:00:00.0/config	# the vendor file is a cached copy
check "disable" jailhouse disable
check_output "disabled" "^0$" cat /sys/devices/jailhouse/enabled
