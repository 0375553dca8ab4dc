# x86 interrupts change owner without their state: the root drives COM2 (ttyS1, IOAPIC pin 3 =
# GSI 3) until uart-demo takes it; the attacker (inmates/tests/x86/attack.c) in uart-demo routes
# the pin to itself, unmasked, vector 0x42, and is destroyed like that. Meanwhile the root's own
# reach for COM2's ports is refused. After the destroy the root's driver gets its interrupts
# again (no stray vector 0x42 at any root CPU), and the next cell finds the pin masked. (The
# root's own IOAPIC write to the pin cannot be provoked from user space here: /dev/mem refuses
# the IOAPIC page, and Linux's 8250 driver stops at COM2's refused ports.)
# arch: x86
# timeout: 300

INM=/usr/share/jailhouse/inmates
irq3() {	# the root's count of IOAPIC pin 3 interrupts, all CPUs
	awk '$1 == "3:" { s = 0; for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) s += $i; print s }' \
		/proc/interrupts
}
com2_irqs() {	# the root writes lines to COM2 with ttyS1 open: its interrupts must arrive
	exec 5<>/dev/ttyS1 || return 1
	before=$(irq3)
	i=0
	while [ $i -lt 20 ]; do echo "root-on-com2 $i" >&5; i=$((i + 1)); done
	sleep 0.5
	after=$(irq3)
	exec 5>&-
	echo "pin 3 interrupts: $before -> $after"
	[ "${after:-0}" -gt "${before:-0}" ]
}
start_attack() {	# start_attack LABEL: uart-demo created afresh, the attacker routes pin 3
	check "$1: create uart-demo (takes COM2 and pin 3)" \
		jailhouse cell create /etc/jailhouse/uart-demo.cell
	mark_console
	check "$1: start the attacker" sh -c "jailhouse cell load uart-demo $INM/attack.bin \
		-s 'con=hvc attack=ioapic pins=3' -a 0x1000 && jailhouse cell start uart-demo"
	check "$1: the attacker is done" wait_console "attack: ioapic: done"
	PIN=$(new_console | sed -n 's/.*attack: ioapic: pin 3: \(0x[0-9a-f]*\), after routing it here \(0x[0-9a-f]*\).*/\1 \2/p')
	info "$1: pin 3 as the cell got it, and after its write: $PIN"
	b=${PIN% *}
	a=${PIN#* }
	check "$1: the cell got pin 3 masked ($b)" sh -c "[ -n '$b' ] && [ \$(( $b & 0x10000 )) -ne 0 ]"
	check "$1: the cell could route its own pin: unmasked, vector 0x42 ($a)" \
		sh -c "[ -n '$a' ] && [ \$(( $a & 0x100ff )) -eq $((0x42)) ]"
}

check "module loads" insmod /lib/modules/jailhouse.ko
check "root's COM2 interrupts before enable" com2_irqs
check "enable" jailhouse enable /etc/jailhouse/system.cell
check "root's COM2 interrupts with the hypervisor" com2_irqs

start_attack first
mark_console
timeout 5 sh -c 'echo root-reaches-for-com2 > /dev/ttyS1' 2>/dev/null
check "the root's COM2 port access is refused while uart-demo owns it" \
	wait_console 'Cell "root-linux": CPU [0-3]: (write to|read of) port 0x2f[89a-f] refused'
check_output "uart-demo still running" "^running$" cat /sys/devices/jailhouse/cells/1/state
check "first: destroy the cell with pin 3 unmasked at vector 0x42" jailhouse cell destroy uart-demo
check "first: the root's COM2 interrupts arrive again" com2_irqs
check "first: and once more" com2_irqs

start_attack second
check "second: destroy" jailhouse cell destroy uart-demo
check "second: the root's COM2 interrupts arrive again" com2_irqs

check_output "all CPUs back" "^0-3$" cat /sys/devices/system/cpu/online
check "disable" jailhouse disable
check "root's COM2 interrupts after disable" com2_irqs
check_fails "no stray vector reached Linux" sh -c 'dmesg | grep -E "No irq handler for vector|spurious"'
