# A real Linux kernel boots and runs on a device tree written by `configgen guest-dt`: the cell
# tests/configgen/fixtures/guest-linux.dtso (CPUs 0-1, 256 MiB identity-mapped at 0x40000000,
# the UART with its SPI) is small enough for QEMU to boot Linux on its guest DT directly
# (build/configs/live/guest-linux.dtb; tests/configgen/test_guest_dt.py leaves it there).
# dtb: configs/live/guest-linux.dtb
# timeout: 120

dt=/proc/device-tree
check "booted with the guest DT" grep -q "cell guest-linux" $dt/model
check_output "only the cell's two CPUs are online" "^0-1$" cat /sys/devices/system/cpu/online
check_output "and present" "^0-1$" cat /sys/devices/system/cpu/present
check_output "PSCI through SMC" "^smc" cat $dt/psci/method
check "secondary CPU brought up via PSCI runs work" taskset -c 1 /bin/busybox true
# QEMU replaces every memory node of a -dtb with its own /memory (all of -m 1G, hw/arm/boot.c),
# so the cell's RAM size cannot be seen here; tests/configgen/test_guest_dt.py checks it.
info "memory nodes as QEMU left them: $(ls -d $dt/memory* | tr '\n' ' ')"
check "GIC redistributors found for every CPU" grep -q "GICv3" /proc/interrupts
check_output "UART interrupt delivered (SPI 1)" "[1-9][0-9]* .*uart-pl011|[1-9][0-9]* .*ttyAMA0" \
	grep -E "pl011|ttyAMA" /proc/interrupts
t0=$(cut -d. -f1 /proc/uptime); sleep 2; t1=$(cut -d. -f1 /proc/uptime)
check "architected timer ticks" test $((t1 - t0)) -ge 1 -a $((t1 - t0)) -le 4
check_fails "no device the cell does not own (RTC)" test -d $dt/pl031@9010000
check_fails "no virtio devices" ls -d $dt/virtio_mmio@a000000
check_fails "no hypervisor node" ls -d $dt/hypervisor@7f800000
check "comm page described as reserved memory" test -d $dt/reserved-memory/comm-region@80000000
