# Hostile Linux cell: Debian's kernel in linux-demo (cpu1 + cpu2) runs, as its init, a root
# shell script that attacks with busybox devmem, one attack per boot (hl.action= on its command
# line), while gic-demo (cpu3) runs beside it and the root keeps a canary. Meanwhile the root
# attacks the cell: its RAM, its UART's I/O page and its PCI function's config space.
# - "filter": writes the hypervisor must filter and the cell survives: GICD registers of SPIs
#   it does not own (the root's UART, 33), the redistributors of CPU 0 (root) and CPU 3
#   (gic-demo), the root's host bridge and absent functions in its ECAM, its own function's
#   BAR, Command.BME and ROM BAR. The cell checks its own view, the root compares its GIC
#   registers before and after, both consoles must keep working. Verdict by the cell's way
#   out: SYSTEM_OFF when its view was right, SYSTEM_RESET (sysrq b) on a breach.
# - one access each outside the cell (root RAM, hypervisor, gic-demo's RAM, the PL011, ECAM
#   beyond bus 0, the I/O window page of port 0, the ITS): the cell must end FAILED on that
#   very address, never completing it (it would print BREACH and power off: "shut down").
# - sysrq b: the cell's own reset is a shutdown of the cell, nothing else.
# - dirty: the cell leaves its UART in loopback with the divisor latch on and every interrupt
#   enabled, and spins; destroyed, the function is the root's again and carries its line.
# After each: root canary intact, bounded destroy, CPUs back, the cell created again next.
# linux: yes
# timeout: 420
# append: iomem=relaxed
# cell-console: HOSTILE filter: ready
# cell-console: HOSTILE filter: ECAM writes done
# cell-console: HOSTILE filter: GIC writes done
# cell-console: HOSTILE filter: CPU 1 off and on again: online 0-1
# cell-console: HOSTILE filter: verdict ok
# cell-console: HOSTILE filter: console still works after the root's attacks
# cell-console: HOSTILE root-ram: attempt devmem 0x40000000 32 0xdeadbeef
# cell-console: HOSTILE hypervisor: attempt devmem 0x7f800000 32
# cell-console: HOSTILE other-cell: attempt devmem 0x7f000000 32 0x0
# cell-console: HOSTILE pl011: attempt devmem 0x09000000 32 0x41
# cell-console: HOSTILE ecam-bus1: attempt devmem 0x4010100000 32
# cell-console: HOSTILE io-window: attempt devmem 0x3eff0000 8
# cell-console: HOSTILE its: attempt devmem 0x08080000 32
# cell-console: HOSTILE gicd-width: attempt devmem 0x08000100 64
# cell-console: HOSTILE gicr-width: attempt devmem 0x080d0100 8 0xff
# cell-console: HOSTILE sysrq: echo b > /proc/sysrq-trigger
# cell-console: HOSTILE dirty: UART: loopback, DLAB, IER 0x0f, then spinning
# cell-console: ROOT-TTYS0 after the hostile cell

LINUX=/usr/share/jailhouse/linux
GIC_DEMO=/usr/share/jailhouse/inmates/gic-demo.bin
BOUND=5		# seconds a destroy may take, whatever the cell does
GICD=0x08000000
GICR0_SGI=0x080b0000	# CPU 0's redistributor (the root's), SGI/PPI frame
FN_CFG=0x4010010000	# 00:02.0 in the ECAM, the cell's function

now() { cut -d' ' -f1 /proc/uptime; }
new_console() { tail -c +$((MARK + 1)) /tmp/hvcon; }
mark() { MARK=$(wc -c < /tmp/hvcon); }
console_flat() { new_console | tr '\n' ' '; }
console_count() { new_console | grep -Ec "$1"; true; }	# REGEX: lines since mark
reports() { grep -c '^\[gic-demo\] latency ns: ' /tmp/hvcon; }

# The cell's init, appended to the cell initramfs as /hostile-init (a second cpio archive).
write_cell_init() {
	mkdir -p /tmp/hl
	cat > /tmp/hl/hostile-init <<'EOF'
#!/bin/busybox sh
/bin/busybox mkdir -p /proc /sys /dev
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t devtmpfs devtmpfs /dev
/bin/busybox --install -s /bin
export PATH=/bin
A=$(tr ' ' '\n' < /proc/cmdline | sed -n 's/^hl\.action=//p' | tail -1)
BAD=0
say() { echo "HOSTILE $A: $*"; }
off() { say "$1"; sleep 1; poweroff -f; }
breach() { say "BREACH $*"; BAD=$((BAD + 1)); }
# fault ARGS: an access outside the cell: the hypervisor stops the cell on it. If it returns,
# the cell says so and powers off (the root expects FAILED, sees "shut down").
fault() {
	say "attempt devmem $*"
	sleep 1
	v=$(devmem "$@" 2>&1)
	off "BREACH devmem $* returned ($?) '$v'"
}
poke() { devmem "$@" 2>/dev/null || breach "devmem $* refused inside the cell"; }
expect() {	# WHAT VALUE ADDRESS [WIDTH]: the cell's view of a register
	v=$(devmem "$3" ${4:-32} 2>&1)
	if [ "$((v))" = "$(($2))" ]; then say "$1: $v"; else breach "$1: $v, expected $2"; fi
}
filter() {
	E=0x4010000000
	F=0x4010010000
	expect "00:00.0 (the root's host bridge) reads all ones" 0xffffffff $E
	expect "00:01.0 reads all ones" 0xffffffff $((E + 0x8000))
	expect "00:02.1 reads all ones" 0xffffffff $((E + 0x11000))
	expect "00:1f.7 reads all ones" 0xffffffff $((E + 0xff000))
	expect "00:02.0 is its pci-serial" 0x00021b36 $F
	poke $((E + 4)) 16 0x0147
	poke $((E + 0x8004)) 16 7
	poke $((F + 0x10)) 32 0x2001
	expect "BAR0 write ignored: the config's value" 0x1001 $((F + 0x10))
	poke $((F + 0x10)) 32 0xffffffff
	expect "BAR0 sizing: the 8-port mask" 0xfffffff9 $((F + 0x10))
	poke $((F + 0x10)) 32 0x1001
	poke $((F + 4)) 16 0x0107
	v=$(devmem $((F + 4)) 16)
	[ $((v & 4)) = 0 ] && say "Command $v: no bus mastering" || breach "Command $v: BME set"
	poke $((F + 0x30)) 32 0xfffff801
	expect "ROM BAR reads 0" 0 $((F + 0x30))
	say "ECAM writes done"
	G=0x08000000
	poke $G 32 0
	poke $((G + 0x184)) 32 0xffffffdf
	poke $((G + 0x204)) 32 0xffffffdf
	poke $((G + 0x384)) 32 0xffffffdf
	poke $((G + 0x420)) 32 0xffffffff
	poke $((G + 0x84)) 32 0
	poke $((G + 0xc08)) 32 0xffffffff
	poke $((G + 0x6108)) 64 0x2
	for R in 0x080a0000 0x08100000; do
		poke $((R + 0x10180)) 32 0xffffffff
		poke $((R + 0x10080)) 32 0
		poke $((R + 0x10400)) 32 0xffffffff
		poke $((R + 0x14)) 32 2
	done
	expect "GICR of CPU 0: GICR_CTLR reads 0" 0 0x080a0000
	say "GIC writes done"
	# its own CPU off and on again (PSCI CPU_OFF, CPU_ON of a CPU of its own)
	echo 0 > /sys/devices/system/cpu/cpu1/online
	echo 1 > /sys/devices/system/cpu/cpu1/online
	v=$(cat /sys/devices/system/cpu/online)
	[ "$v" = 0-1 ] && say "CPU 1 off and on again: online $v" || breach "CPU 1 off/on: online $v"
	if [ $BAD = 0 ]; then
		say "verdict ok"
	else
		say "verdict BREACH ($BAD)"
		sleep 1
		echo b > /proc/sysrq-trigger
	fi
	sleep $(tr ' ' '\n' < /proc/cmdline | sed -n 's/^hl\.wait=//p')
	off "console still works after the root's attacks"
}
say "ready uptime=$(cut -d' ' -f1 /proc/uptime)"
case $A in
filter)		filter ;;
root-ram)	fault 0x40000000 32 0xdeadbeef ;;
hypervisor)	fault 0x7f800000 32 ;;
other-cell)	fault 0x7f000000 32 0x0 ;;
pl011)		fault 0x09000000 32 0x41 ;;
ecam-bus1)	fault 0x4010100000 32 ;;
io-window)	fault 0x3eff0000 8 ;;
its)		fault 0x08080000 32 ;;
gicd-width)	fault 0x08000100 64 ;;
gicr-width)	fault 0x080d0100 8 0xff ;;
sysrq)		say "echo b > /proc/sysrq-trigger"; sleep 1; echo b > /proc/sysrq-trigger ;;
dirty)		# the UART left in loopback, divisor latch on, every interrupt enabled
		say "UART: loopback, DLAB, IER 0x0f, then spinning"; sleep 1
		devmem 0x3eff1001 8 0x0f; devmem 0x3eff1004 8 0x1f; devmem 0x3eff1003 8 0x83
		while :; do :; done ;;
esac
off "unknown action"
EOF
	chmod 755 /tmp/hl/hostile-init
	(cd /tmp/hl && echo hostile-init | cpio -o -H newc > /tmp/hl.cpio 2>/dev/null) &&
		cat $LINUX/initramfs.cpio /tmp/hl.cpio > /tmp/hostile.cpio
}

boot() {	# ACTION [MORE KERNEL ARGUMENTS]
	mark
	check "$1: cell linux boots the attacker" jailhouse cell linux /etc/jailhouse/linux-demo.cell \
		$LINUX/Image -i /tmp/hostile.cpio \
		-c "console=ttyS0 cma=0 rdinit=/hostile-init iomem=relaxed hl.action=$1 $2"
}

aftermath() {	# WHAT: the root and gic-demo unharmed, the cell destroyed in bounded time
	root_canary_intact "$1: root canary intact"
	check_output "$1: gic-demo still running" "^running$" cell_state_of gic-demo
	t0=$(now)
	check "$1: destroy" jailhouse cell destroy linux-demo
	d=$(echo "$t0 $(now)" | awk '{ printf "%.2f", $2 - $1 }')
	check "$1: destroy within $BOUND s ($d s)" awk "BEGIN { exit !($d < $BOUND) }"
	check_output "$1: cpu1 and cpu2 back with the root" "^0-2$" cat /sys/devices/system/cpu/online
	check "$1: cpu2 runs the root's Linux" taskset -c 2 true
}

fault() {	# ACTION ADDRESS read|write: the cell must end FAILED on that access
	boot "$1"
	check "$1: the cell ends FAILED" wait_cell_state linux-demo failed 120
	wait_console "FATAL: access outside the cell"
	check_output "$1: stopped on its $3 at $2" \
		"Unhandled data $3 at $2, .*FATAL: access outside the cell on CPU [12] \(cell \"linux-demo\"\)" \
		console_flat
	aftermath "$1"
}

# width_fault ACTION ADDRESS read|write SIZE: an access to its own GIC registers of a width the
# architecture does not define: never forwarded, the cell ends FAILED on it
width_fault() {
	boot "$1"
	check "$1: the cell ends FAILED" wait_cell_state linux-demo failed 120
	wait_console "FATAL: invalid MMIO access"
	check_output "$1: stopped on its $4-byte $3 at $2" \
		"Invalid MMIO $3 at $2, size $4, .*FATAL: invalid MMIO access on CPU [12] \(cell \"linux-demo\"\)" \
		console_flat
	aftermath "$1"
}

# root_fault WHAT ADDRESS read|write CMD...: the root's access dies of a bus error (the
# hypervisor reflects its stage-2 fault into Linux: SIGBUS, exit 135), on that address
root_fault() {
	w=$1; a=$2; rw=$3; shift 3
	m=$MARK; mark
	check_output "root: $w ($a) dies of a bus error" "^135$" sh -c '"$@" >/dev/null 2>&1; echo $?' \
		- "$@"
	wait_console "Unhandled data $rw at $a,"
	check_output "root: $w: the hypervisor saw its $rw at $a" "Unhandled data $rw at $a," \
		new_console
	MARK=$m
}

gic_regs() {	# the root's view of the GIC registers the filter round attacks
	# INTIDs 37 (the function's INTx) and 41 (its end of link "net") are the cell's while it
	# exists: left out
	for r in 0x0:0xffffffff 0x84:0xfffffddf 0x104:0xfffffddf 0x420:0xffffffff \
		 0xc08:0xfff3f3ff; do
		printf '%x ' $(($(devmem $((GICD + ${r%:*})) 32) & ${r#*:}))
	done
	printf '%s ' "$(devmem $((GICD + 0x6108)) 64)"
	for r in 0x80 0x100 0x400; do
		printf '%s ' "$(devmem $((GICR0_SGI + r)) 32)"
	done
	devmem 0x080a0014 32
}

check "module loads" insmod /lib/modules/jailhouse.ko
check "enable" jailhouse enable /etc/jailhouse/system.cell
console_follow
root_canary_write
used0=$(cat /sys/devices/jailhouse/mem_pool_used)
check "the attacker's init (a second cpio archive after the cell initramfs)" write_cell_init
check "gic-demo: create, load and start" sh -c "jailhouse cell create /etc/jailhouse/gic-demo.cell \
	&& jailhouse cell load gic-demo $GIC_DEMO -s 'con=hvc samples=100' -a 0x1000 \
	&& jailhouse cell start gic-demo"
gic0=$(gic_regs)
info "root's GIC registers before: $gic0"
bridge0=$(od -An -tx2 -j4 -N2 /sys/bus/pci/devices/0000:00:00.0/config)

# --- filter round: the cell attacks what the hypervisor filters, the root attacks the cell
boot filter "hl.wait=25"
check "filter: the cell runs" wait_cell_state linux-demo running 10
root_fault "reading the cell's RAM" 0x68000000 read devmem 0x68000000 32
root_fault "writing the cell's RAM" 0x68000000 write devmem 0x68000000 32 0
root_fault "reading the cell's UART (LSR)" 0x3eff1005 read devmem 0x3eff1005 8
root_fault "writing the cell's UART (THR)" 0x3eff1000 write devmem 0x3eff1000 8 0x41
check_output "root: the cell's function's config space reads all ones" "^0xFFFFFFFF$" \
	devmem $FN_CFG 32
devmem $((FN_CFG + 4)) 16 0
devmem $((FN_CFG + 0x10)) 32 0x2001
check_output "root: its Command write did not reach the function (still all ones)" \
	"^0xFFFF$" devmem $((FN_CFG + 4)) 16
check_fails "root: onlining cpu1 (the cell's) fails" sh -c 'echo 1 > /sys/devices/system/cpu/cpu1/online'
check_output "root: ... the cell still has it" "linux-demo +running +1-2 " jailhouse cell list
echo 1 > /sys/bus/pci/rescan
check_fails "root: a rescan does not find the cell's function" \
	test -e /sys/bus/pci/devices/0000:00:02.0
r=$(root_load 10)
check "root: its own load's results right ($r)" test "${r#* }" = 0 -a "${r% *}" -gt 0
check "filter: the cell powers off (SYSTEM_OFF: its view was right)" \
	wait_cell_state linux-demo "shut down" 150
wait_console "shut itself down"
check_output "filter: SYSTEM_OFF, not the SYSTEM_RESET of a breach" \
	'Cell "linux-demo" shut itself down \(PSCI SYSTEM_OFF' new_console
check_output "filter: the hypervisor ignored its writes to the root's SPIs" \
	"touches interrupts 32-63 it does not own: ignored for those" new_console
check_output "filter: ... and to CPU 0's redistributor" \
	"GICR: write to 0x10180 in the redistributor of CPU 0 ignored" new_console
check_output "filter: ... and to CPU 3's (gic-demo's)" \
	"GICR: write to 0x10180 in the redistributor of CPU 3 ignored" new_console
check_output "filter: no cell failed, the hypervisor did not stop" "^0$" \
	console_count 'FAILED|Hypervisor stopped'
check_output "root: its GIC registers unchanged" "^$gic0\$" gic_regs
check_output "root: its host bridge's Command unchanged ($bridge0)" "^$bridge0\$" \
	od -An -tx2 -j4 -N2 /sys/bus/pci/devices/0000:00:00.0/config
check "root: CPU 0 still takes timer interrupts" timeout 10 taskset -c 0 sleep 1
aftermath filter
check "root: the function is back after destroy" test -e /sys/bus/pci/devices/0000:00:02.0

# --- one access outside the cell per boot
fault root-ram 0x40000000 write
fault hypervisor 0x7f800000 read
fault other-cell 0x7f000000 write
fault pl011 0x9000000 write
fault ecam-bus1 0x4010100000 read
fault io-window 0x3eff0000 read
fault its 0x8080000 read
width_fault gicd-width 0x8000100 read 8
width_fault gicr-width 0x80d0100 write 1

boot sysrq
check "sysrq b: the cell ends shut down" wait_cell_state linux-demo "shut down" 120
wait_console "shut itself down"
check_output "sysrq b: by its own PSCI SYSTEM_RESET" \
	'Cell "linux-demo" shut itself down \(PSCI SYSTEM_RESET' new_console
aftermath sysrq

# the function comes back to the root usable, whatever state the cell left it in
boot dirty
check "dirty: the cell runs" wait_cell_state linux-demo running 10
sleep 12
aftermath dirty
check "dirty: the root's ttyS0 is back" test -c /dev/ttyS0
check "dirty: the root writes on it (the line is judged on the cell console)" \
	timeout 10 sh -c 'echo "ROOT-TTYS0 after the hostile cell" > /dev/ttyS0'

# --- the end: nothing of the hypervisor or the root hurt
r0=$(reports)
sleep 3
check "gic-demo: kept reporting ($(reports) lines)" test "$(reports)" -gt "$r0"
check "gic-demo: shutdown and destroy" sh -c \
	"jailhouse cell shutdown gic-demo && jailhouse cell destroy gic-demo"
check_output "the hypervisor never stopped" "^0$" sh -c "grep -c 'Hypervisor stopped' /tmp/hvcon; true"
check_output "the root's faults: only its 4 attacks on the cell" "^4$" \
	sh -c "grep -c 'FATAL: .*(cell \"root-linux\")' /tmp/hvcon"
check_output "hypervisor memory use back where it began" "^$used0\$" \
	cat /sys/devices/jailhouse/mem_pool_used
root_canary_intact "root: canary intact at the end"
kill $CONSOLE_PID
check "disable" jailhouse disable
