# Root Linux boots with the DTB configgen derived from dts/qemu-arm64/system.dts: the
# hypervisor's and every cell's memory are reserved-memory no-map, so Linux never uses them.

check "booted with the configgen root DTB" test -d /proc/device-tree/reserved-memory/hypervisor@7f800000
check "4 CPUs online" test "$(cat /sys/devices/system/cpu/online)" = "0-3"

check "iomem_covers finds the start of RAM" iomem_covers 40000000 40000fff "System RAM"
check_fails "iomem_covers works (no System RAM at 0)" iomem_covers 0 fff "System RAM"
info "$(grep -E 'System RAM|reserved' /proc/iomem | tr '\n' ';')"
check "root RAM is System RAM" iomem_covers 40000000 67ffffff "System RAM"
check_fails "hypervisor memory is not System RAM" iomem_covers 7f800000 7fffffff "System RAM"
check_fails "cell memory is not System RAM" iomem_covers 68000000 7bffffff "System RAM"
check_fails "shared cell memory is not System RAM" iomem_covers 7f700000 7f7fffff "System RAM"
info "$(grep MemTotal /proc/meminfo)"
