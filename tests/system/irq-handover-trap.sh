# irq-handover.sh with smp-demo in trap mode (smp-demo-trap.cell, interrupt-delivery = "trap"):
# the SPI a cell pends while it masks interrupts is taken by the hypervisor and left active, and
# must still reach the next owner idle.
# uses: irq-handover.sh
# dtb: configs/qemu-arm64/root-drives-rtc.dtb
# timeout: 420
SMP_CELL=/etc/jailhouse/smp-demo-trap.cell
MODE=trap
. /tests/irq-handover.sh
