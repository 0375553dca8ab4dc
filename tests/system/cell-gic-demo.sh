# gic-demo in its cell, in both interrupt delivery modes: create, load, start, latency lines,
# stats, shutdown, destroy. Direct mode (gic-demo.cell: interrupt-delivery "direct", the default
# of arm64 cells) with idle=spin: not a single exit over a window between two report lines while
# the timer interrupts keep arriving. Trap mode (gic-demo-trap.cell, the same cell with
# interrupt-delivery = "trap"): about one exit per interrupt. The demo prints through the
# hypervisor console (con=hvc: a hypercall exit per line, kept out of the window).
# timeout: 300

INM=/usr/share/jailhouse/inmates/gic-demo.bin
CELL=/sys/devices/jailhouse/cells/1
SAMPLES=400		# a report line every 4 s (period 10 ms)

exits() { cat $CELL/statistics/vmexits_$1; }

# window MODE: exit counters over 1.5 s right after a report line (the next one is 4 s away);
# sets D_TOTAL, D_VIRQ, D_WFI and checks that the next report came with SAMPLES more samples.
window() {
	r0=$(gic_demo_reports)
	check "$1: a report line" wait_gic_demo_reports $((r0 + 1))
	t0=$(exits total); v0=$(exits virt_irq); w0=$(exits wfi)
	sleep 1.5
	t1=$(exits total); v1=$(exits virt_irq); w1=$(exits wfi)
	D_TOTAL=$((t1 - t0)); D_VIRQ=$((v1 - v0)); D_WFI=$((w1 - w0))
	info "$1: over 1.5 s: $D_TOTAL exits, $D_VIRQ virt_irq, $D_WFI wfi"
	check "$1: the next report line" wait_gic_demo_reports $((r0 + 2))
	n=$(jailhouse console | grep '^\[gic-demo\] latency ns: ' | tail -2 |
		sed -n 's/.*samples=\([0-9]*\).*/\1/p' | tr '\n' ' ')
	check "$1: $SAMPLES timer interrupts between the two lines (samples $n)" \
		sh -c "set -- $n; [ \$((\$2 - \$1)) -eq $SAMPLES ]"
}

# run_cell MODE CELLFILE: one cell's life; the window's counters are judged by the caller
run_cell() {
	used0=$(cat /sys/devices/jailhouse/mem_pool_used)
	check_output "$1: cell create" 'Cell "gic-demo" created, id 1' jailhouse cell create "$2"
	check_output "$1: cpu3 left Linux" "^0-2$" cat /sys/devices/system/cpu/online
	check_output "$1: cell list: shut down on CPU 3, $1 interrupts" \
		"^1 +gic-demo +shut down +3 +- +$1\$" jailhouse cell list
	check_output "$1: sysfs name" "^gic-demo$" cat $CELL/name
	check_output "$1: sysfs interrupt_delivery" "^$1$" cat $CELL/interrupt_delivery
	check "$1: load gic-demo.bin with a command line" jailhouse cell load gic-demo $INM \
		-s "con=hvc samples=$SAMPLES idle=spin" -a 0x1000
	check "$1: start" jailhouse cell start gic-demo
	window "$1"
	check_output "$1: running" "^running$" cat $CELL/state
	check_output "$1: cell stats" "vmexits_total +[0-9]+ +[0-9]+" jailhouse cell stats gic-demo
	check_output "$1: no failed CPUs" "^$" cat $CELL/cpus_failed
	check_fails_with "$1: disable refused while a cell exists" "." jailhouse disable
	check "$1: shutdown" jailhouse cell shutdown gic-demo
	check_output "$1: shut down" "^shut down$" cat $CELL/state
	check "$1: destroy" jailhouse cell destroy 1
	check_output "$1: cpu3 back with Linux" "^0-3$" cat /sys/devices/system/cpu/online
	check "$1: cpu3 runs Linux again" taskset -c 3 true
	check_output "$1: cell list empty" "^ID" sh -c 'jailhouse cell list | tail -1'
	check_output "$1: hypervisor memory use back where it began" "^$used0\$" \
		cat /sys/devices/jailhouse/mem_pool_used
}

check "module loads" insmod /lib/modules/jailhouse.ko
check "enable" jailhouse enable /etc/jailhouse/system.cell

run_cell direct /etc/jailhouse/gic-demo.cell
check "direct: zero exits in the window ($D_TOTAL)" test "$D_TOTAL" -eq 0

run_cell trap /etc/jailhouse/gic-demo-trap.cell
check "trap: its timer interrupts exit ($D_VIRQ virt_irq in 1.5 s)" test "$D_VIRQ" -ge 100
check "trap: about one exit per interrupt ($D_TOTAL exits)" \
	test $((D_TOTAL - D_VIRQ)) -le $((D_VIRQ / 10))
check "trap: idle=spin, no wfi exits ($D_WFI)" test "$D_WFI" -eq 0

check "disable" jailhouse disable
check_output "gic-demo's latency lines reached the console" "latency ns: min=[0-9]+ avg=" \
	jailhouse console
jailhouse console | grep "latency ns" | tail -2 | while read -r l; do info "gic-demo in a cell: $l"; done
jailhouse console | grep -E "Created cell|Started cell|Destroyed cell" | sed 's/^/  | /'
