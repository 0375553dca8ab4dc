# `make demo ARCH=arm` runs this script with the guest console shown live; `make check` runs it
# as a test. Debian's stock armhf Linux boots on QEMU's ARMv7 virt board (Cortex-A15, GICv2, all
# CPUs in HYP mode), loads the hypervisor under itself through the kernel's own hyp stub and
# becomes the root cell; a bare-metal cell (gic-demo: generic timer every 10 ms through the
# virtual GICv2, interrupt latency measured by the cell) gets CPU 3 and 1 MiB of RAM, prints its
# latency lines on the shared UART, is shut down and destroyed; the hypervisor is disabled and
# Linux has the whole machine back.
# arch: arm
# append: quiet
# timeout: 150

echo "== Linux $(uname -r) ($(uname -m)) is running on CPUs $(cat /sys/devices/system/cpu/online)"
echo "== $(dmesg | grep -o 'CPU: All CPU(s) started in HYP mode.')"
echo "== insmod jailhouse.ko"
check "insmod jailhouse.ko" insmod /lib/modules/jailhouse.ko
echo "   $(cat /sys/devices/jailhouse/hyp)"
echo "== jailhouse enable /etc/jailhouse/system.cell"
check "jailhouse enable" jailhouse enable /etc/jailhouse/system.cell
echo "== jailhouse cell create /etc/jailhouse/gic-demo.cell"
check "cell create" jailhouse cell create /etc/jailhouse/gic-demo.cell
echo "   Linux CPUs now: $(cat /sys/devices/system/cpu/online)"
echo "== jailhouse cell load gic-demo gic-demo.bin; jailhouse cell start gic-demo"
check "cell load" jailhouse cell load gic-demo /usr/share/jailhouse/inmates/gic-demo.bin \
	-s "samples=100" -a 0x1000
check "cell start" jailhouse cell start gic-demo
jailhouse cell list
echo "== the cell prints its latency lines on the shared UART for 5 seconds"
sleep 5
check_output "cell running" "^running$" cat /sys/devices/jailhouse/cells/1/state
echo "== jailhouse cell stats gic-demo"
jailhouse cell stats gic-demo | grep -E "Statistics|exit reason|total|virt_irq|maintenance|wfi|hypercall|mmio"
echo "== jailhouse cell shutdown gic-demo; jailhouse cell destroy gic-demo"
check "cell shutdown" jailhouse cell shutdown gic-demo
check "cell destroy" jailhouse cell destroy gic-demo
echo "   Linux CPUs now: $(cat /sys/devices/system/cpu/online)"
echo "== jailhouse disable"
check "jailhouse disable" jailhouse disable
check_output "Linux has all CPUs back" "^0-3$" cat /sys/devices/system/cpu/online
echo "== done, powering off"
