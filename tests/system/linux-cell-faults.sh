# Linux cells that go wrong end in a clean state, the root unharmed: one that panics (halted:
# destroyed; with panic=1: it reboots, PSCI SYSTEM_RESET, and the cell ends shut down), one
# destroyed while busy on both CPUs (interrupts delivered directly, then trapped), ones booted
# with a DTB whose header is valid but whose property names are garbage (all of them: refused by
# `jailhouse cell linux`; all but the memory node's: Linux never comes up, destroyed), and one
# with a bad magic, which `jailhouse cell linux` refuses before creating anything. Every destroy is
# bounded; afterwards cpu1 and cpu2 run the root's Linux again, its canary is intact and the
# hypervisor's memory use is back where it began.
# linux: yes
# timeout: 300
# cell-console: Kernel command line: .*cell\.mode=panic
# cell-console: LINUX-CELL-PANIC
# cell-console: Kernel panic - not syncing: sysrq triggered crash
# cell-console: Kernel command line: .*cell\.mode=panic panic=1
# cell-console: Kernel panic - not syncing: sysrq triggered crash
# cell-console: Rebooting in 1 seconds
# cell-console: Kernel command line: .*cell\.mode=busy
# cell-console: LINUX-CELL-BUSY forever
# cell-console: Kernel command line: .*cell\.mode=busy
# cell-console: LINUX-CELL-BUSY forever

BOUND=5		# seconds a destroy may take, whatever the cell does
DTB=/etc/jailhouse/linux-demo.dtb

now() { cut -d' ' -f1 /proc/uptime; }
bounded_destroy() {	# WHAT: destroy linux-demo within BOUND seconds, root gets its CPUs back
	t0=$(now)
	check "$1: destroy" jailhouse cell destroy linux-demo
	d=$(echo "$t0 $(now)" | awk '{ printf "%.2f", $2 - $1 }')
	info "$1: destroy took $d s"
	check "$1: destroy within $BOUND s ($d s)" awk "BEGIN { exit !($d < $BOUND) }"
	check_output "$1: no cell left" "^ID" sh -c 'jailhouse cell list | tail -1'
	check_output "$1: cpu1 and cpu2 back with the root" "^0-3$" \
		cat /sys/devices/system/cpu/online
	check "$1: cpu1 runs the root's Linux" taskset -c 1 true
	check "$1: cpu2 runs the root's Linux" taskset -c 2 true
	root_canary_intact "$1: root canary intact"
}

check "module loads" insmod /lib/modules/jailhouse.ko
check "enable" jailhouse enable /etc/jailhouse/system.cell
root_canary_write
used0=$(cat /sys/devices/jailhouse/mem_pool_used)

# a panic: the kernel halts (panic timeout 0) with the cell still running
check "panic: boots" linux_cell_boot panic
sleep 20
check_output "panic: the cell still counts as running" "^running$" cell_state_of linux-demo
bounded_destroy panic

# a panic with panic=1: Linux reboots through PSCI SYSTEM_RESET, which shuts the cell down
check "panic=1: boots" linux_cell_boot panic panic=1
check "panic=1: the reboot shuts the cell down" wait_cell_state linux-demo "shut down" 60
check_output "panic=1: console says so" \
	'Cell "linux-demo" shut itself down \(PSCI SYSTEM_RESET on CPU' jailhouse console
bounded_destroy panic=1

# busy on both CPUs, forever
check "busy: boots" linux_cell_boot busy
sleep 20
check_output "busy: running" "^running$" cell_state_of linux-demo
bounded_destroy busy

# busy again, with its interrupts trapped (the same cell with HVCFG_CELL_IRQ_DIRECT cleared,
# flags at offset 80 of the blob): the timer, IPIs and the serial's SPI through list registers
cp "$LINUX_CELL" /tmp/linux-trap.cell
cp "${LINUX_CELL%.cell}.dtb" /tmp/linux-trap.dtb
blob_poke32 /tmp/linux-trap.cell 80 $(($(blob_peek32 /tmp/linux-trap.cell 80) & ~16))
blob_reseal /tmp/linux-trap.cell
trap_boot() { (LINUX_CELL=/tmp/linux-trap.cell; linux_cell_boot busy); }
check "busy, trap mode: boots" trap_boot
sleep 20
check_output "busy, trap mode: running, interrupts trapped" "linux-demo +running +1-2 +- +trap" \
	jailhouse cell list
bounded_destroy "busy, trap mode"

# DTBs whose header is right and whose strings block (the property names) is garbage: every
# name (cell linux finds no memory: refused), or every name but those of the memory node (cell
# linux boots it; Linux finds no interrupt controller, timer, PSCI or console: destroyed)
be32() { od -An -tu1 -j "$2" -N 4 "$1" | awk '{ print (($1 * 256 + $2) * 256 + $3) * 256 + $4 }'; }
garble() {	# OUT KEEP-REGEX: the default DTB with every property name not matching KEEP x'ed out
	cp $DTB "$1"
	off=$(be32 "$1" 12)
	size=$(be32 "$1" 32)
	od -An -v -tu1 -j $off -N $size "$1" | awk -v keep="$2" '
	{ for (i = 1; i <= NF; i++) b[n++] = $i }
	END { name = ""; start = 0
		for (i = 0; i < n; i++) {
			if (b[i] != 0) { name = name sprintf("%c", b[i]); continue }
			for (k = start; k < i; k++) printf "\\%03o", name ~ keep ? b[k] : 120
			printf "\\000"; name = ""; start = i + 1
		} }' > /tmp/strings.esc
	printf "$(cat /tmp/strings.esc)" | dd of="$1" bs=1 seek=$off conv=notrunc 2>/dev/null
	info "garbled $1: $(od -An -c -j $off -N 48 "$1" | tr -d ' \n')"
}
garbage_boot() {	# DTB
	jailhouse cell linux "$LINUX_CELL" $LINUX/Image -i $LINUX/initramfs.cpio -d "$1" \
		-c "$LINUX_CMDLINE cell.mode=normal"
}
garble /tmp/garbage-all.dtb '^$'
check_fails_with "garbage DTB (all names): cell linux refuses it, naming the memory" \
	"memory" garbage_boot /tmp/garbage-all.dtb
check_output "garbage DTB (all names): no cell left" "^ID" sh -c 'jailhouse cell list | tail -1'
garble /tmp/garbage.dtb '^(device_type|reg|#address-cells|#size-cells)$'
check "garbage DTB (all but memory): cell linux boots it" garbage_boot /tmp/garbage.dtb
sleep 15
check_fails "garbage DTB: Linux does not come up to power off" \
	wait_cell_state linux-demo "shut down" 1
bounded_destroy "garbage DTB"

# bad magic: refused before anything is created
cp $DTB /tmp/badmagic.dtb
printf 'XXXX' | dd of=/tmp/badmagic.dtb bs=1 seek=0 conv=notrunc 2>/dev/null
check_fails_with "bad magic: cell linux refuses the DTB" "magic|not a (flattened )?device tree|DTB" \
	jailhouse cell linux "$LINUX_CELL" $LINUX/Image -i $LINUX/initramfs.cpio -d /tmp/badmagic.dtb
check_output "bad magic: no cell created" "^ID" sh -c 'jailhouse cell list | tail -1'
check_output "bad magic: cpu1 and cpu2 still the root's" "^0-3$" cat /sys/devices/system/cpu/online

check_output "hypervisor memory use back where it began" "^$used0\$" \
	cat /sys/devices/jailhouse/mem_pool_used
root_canary_intact "root: canary intact at the end"
check "disable" jailhouse disable
