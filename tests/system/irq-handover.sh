# Interrupts change owner without their state. The root drives the PL031 RTC (SPI 34) until
# smp-demo takes it; the attacker (inmates/tests/attack.c) in smp-demo then leaves the SPI as
# badly as it can: Group 0, priority 0xf0, edge, pended and taken but never acknowledged
# (spi-state); or simply with the alarm arrived while it masks interrupts, never to answer
# again (masked-alarm). After each destroy: the root's own driver gets its alarm interrupt, its
# free_irq returns (it waited for an active bit nobody cleared, once), and the next cell finds
# the SPI disabled, inactive, Group 1, with the root's priority and trigger. Also: an SGI with
# IRM=1 reaches the other CPU of the cell, not the sender.
# smp-demo runs in direct mode (the default): an SPI pended while the cell masks interrupts stays
# pending in the GIC, nobody takes it; irq-handover-trap.sh runs this script with smp-demo in
# trap mode, where the hypervisor takes it and it is left active.
# dtb: configs/qemu-arm64/root-drives-rtc.dtb
# timeout: 420

INM=/usr/share/jailhouse/inmates
IRQ=34
DRV=/sys/bus/amba/drivers/rtc-pl031
SMP_CELL=${SMP_CELL:-/etc/jailhouse/smp-demo.cell}
MODE=${MODE:-direct}	# smp-demo's interrupt delivery
if [ "$MODE" = direct ]; then
	TAKEN=no			# masked by the cell, pending in the GIC
	LEFT="enabled=1 pending=1 active=0"
else
	TAKEN=yes			# acknowledged by the hypervisor for the cell, never EOId
	LEFT="enabled=1 pending=0 active=1"
fi

rtc_irqs() {	# the root's count of RTC interrupts, all CPUs
	awk '/pl031/ { s = 0; for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) s += $i; print s }' \
		/proc/interrupts
}
alarm_arrives() {	# the root sets an alarm 2 s ahead; its interrupt must come within 5 s
	rtc=$(ls -d /sys/class/rtc/rtc* | tail -1)	# rtc1 after a rebind
	before=$(rtc_irqs)
	echo 0 > $rtc/wakealarm && echo +2 > $rtc/wakealarm || return 1
	i=0
	while [ $i -lt 50 ]; do
		[ "$(rtc_irqs)" -gt "$before" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
start_attack() {	# start_attack ATTACK ARGS [LABEL]: smp-demo created afresh, the attacker started
	label=${3:-$1}
	check "$label: create smp-demo (takes the RTC and SPI $IRQ)" \
		jailhouse cell create $SMP_CELL
	check_output "$label: smp-demo's interrupts: $MODE" "^$MODE\$" \
		sh -c 'cat /sys/devices/jailhouse/cells/*/interrupt_delivery'
	mark_console
	check "$label: start the attacker" sh -c "jailhouse cell load smp-demo $INM/attack.bin \
		-s 'con=hvc attack=$1 $2' -a 0x1000 && jailhouse cell start smp-demo"
}
root_view() {	# root_view WHAT: after the destroy, the root's driver works as before
	check "$1: the root's RTC alarm interrupt arrives again" alarm_arrives
	check "$1: and once more" alarm_arrives
}
# A fresh cell's first look at the SPI; the root had it level-triggered at its priority PRIO.
next_cell_view() {
	start_attack spi-state "irq=$IRQ" "$1: next cell"
	check "$1: next cell: the attacker reports" wait_console "attack: spi-state: done"
	check_output "$1: next cell finds SPI $IRQ disabled, idle, Group 1, the root's priority, level" \
		"irq $IRQ as we got it: enabled=0 pending=0 active=0 group=1 priority=$PRIO config=0" \
		new_console
	check "$1: next cell destroyed" jailhouse cell destroy smp-demo
}

check "module loads" insmod /lib/modules/jailhouse.ko
check "the root drives the RTC" test -d $DRV/9010000.pl031
check "root's RTC alarm interrupt before enable" alarm_arrives
check "enable" jailhouse enable /etc/jailhouse/system.cell
check "root's RTC alarm interrupt with the hypervisor" alarm_arrives

# --- masked-alarm: no hostile act, the device's interrupt arrives at the wrong moment (first, so
# nothing an earlier attack left can be the cause) ------------------------------------------------
start_attack masked-alarm "irq=$IRQ"
check "masked-alarm: the alarm fired while the cell masks interrupts (taken by the hypervisor: $TAKEN)" \
	wait_console "attack: masked-alarm: alarm fired \(raw status 1\), irq $IRQ taken .*: $TAKEN"
check "masked-alarm: the cell went silent" wait_console "attack: masked-alarm: silent"
PRIO=$(new_console | sed -n "s/.*irq $IRQ as we got it: .* priority=\(0x[0-9a-f]*\) .*/\1/p")
info "SPI $IRQ as the first cell got it: priority $PRIO"
check_output "masked-alarm: the cell got SPI $IRQ disabled, idle, Group 1, level" \
	"irq $IRQ as we got it: enabled=0 pending=0 active=0 group=1 priority=0x[0-9a-f]+ config=0" \
	new_console
check "masked-alarm: destroy (after the reply limit)" jailhouse cell destroy smp-demo
root_view masked-alarm
check "masked-alarm: the root's driver unbinds: free_irq finds its interrupt idle" \
	timeout 10 sh -c "echo 9010000.pl031 > $DRV/unbind"
check "masked-alarm: and binds again" timeout 10 sh -c "echo 9010000.pl031 > $DRV/bind"
check "masked-alarm: its alarm interrupt arrives" alarm_arrives
next_cell_view masked-alarm

# --- spi-state: everything a cell may set on its own SPI, and a pended one left taken ----------
start_attack spi-state "irq=$IRQ"
check "spi-state: the attacker finished" wait_console "attack: spi-state: done"
check_output "spi-state: its pended SPI taken by the hypervisor: $TAKEN" \
	"irq $IRQ taken by the hypervisor while we mask interrupts: $TAKEN" new_console
check_output "spi-state: priority and edge are its own to set, the group is not ($LEFT)" \
	"irq $IRQ as we left it: $LEFT group=1 priority=0xf0 config=2" new_console
check_output "spi-state: console: group change refused" \
	"would change interrupt groups: ignored, all stay Group 1" new_console
check "spi-state: destroy" jailhouse cell destroy smp-demo
root_view spi-state
next_cell_view spi-state

# --- SGI broadcast (IRM=1): the other CPU of the cell, not the sender -------------------------
start_attack sgi-broadcast "cpu1=0x80000002 count=10"
check "sgi-broadcast: the attacker finished" wait_console "attack: sgi-broadcast: done"
check_output "sgi-broadcast: all 10 at the other CPU, none at the sender" \
	"second CPU up; 10 broadcasts: sender got 0, other CPU got 10" new_console
check "sgi-broadcast: destroy" jailhouse cell destroy smp-demo

check_output "all CPUs back" "^0-3$" cat /sys/devices/system/cpu/online
check "disable" jailhouse disable
check "root's RTC alarm interrupt after disable" alarm_arrives
