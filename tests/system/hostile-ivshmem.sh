# Hostile link ends (ivshmem): the root is the hostile peer of link "echo" (with ivshmem-demo on
# cpu3 and ivshmem-demo-2 on cpu2 as the other peers) and abuses its end through everything it
# can reach: the register page (every width at every register, doorbells to itself, to peers
# beyond the link, to other vectors; state flips), its configuration space (every register
# written with all ones, then read back), BAR0 moved over its RAM, the GIC, the other end's
# page, unaligned and out of the window, the shared memory's read-only parts (state table,
# another peer's output section: the write must not land) and the character device (bad read
# and write sizes). Then the peers abuse the root: ivshmem-demo floods the root with doorbells
# while the root keeps working, and is destroyed in the middle of the flood and of a root flood.
# After each round: the hypervisor is alive (no FATAL, no crash), the root's canary is intact,
# the end still works (ID, MAX_PEERS, doorbell round trip) and the bystander peer is unaffected.
# timeout: 420
# append: iomem=relaxed

INM=/usr/share/jailhouse/inmates
DEMO=ivshmem-demo
DEMO2=ivshmem-demo-2
PAGE=4096
ECHO_PROTO=0xff4000	# class code of the echo link's ends (ff, protocol 4000h)
NET_PROTO=0xff0001

# --- helpers ---------------------------------------------------------------------------------
bar0() {	# DEV: BAR0's address as Linux assigned it (decimal)
	printf '%d' "$(head -1 $1/resource | cut -d' ' -f1)"
}
cfg_read() {	# DEV OFFSET: the configuration dword at OFFSET (aligned), as 0x%08x
	printf '0x%08x' "$(cfg32 $1 $2)"
}
cfg_write() {	# DEV OFFSET WIDTH(1|2|4) VALUE: one configuration write of WIDTH bytes
	_v=$4; _s=""
	_i=0
	while [ $_i -lt $3 ]; do
		_s="$_s$(printf '\\%03o' $((_v & 255)))"
		_v=$((_v >> 8)); _i=$((_i + 1))
	done
	printf "$_s" | dd of=$1/config bs=$3 seek=$(($2 / $3)) count=1 conv=notrunc 2>/dev/null
}
reg() {	# OFFSET [WIDTH]: read the echo end's register page at its current BAR0
	devmem $((REGS + $1)) ${2:-32}
}
regw() {	# OFFSET WIDTH VALUE
	devmem $((REGS + $1)) $2 $3
}
hex() { printf '0x%08X' "$1"; }
state_of() {	# PEER: its entry in the echo link's state table (the hypervisor's copy)
	devmem $((SHM + 4 * $1)) 32
}
check_dmesg_clean() {	# DESCRIPTION: the root's kernel did not oops, warn or hit a bad access
	check "$1: no kernel oops/warning/BUG" sh -c "! dmesg | grep -Eq \
		'Oops|WARNING:|BUG:|Unable to handle|Internal error|general protection|Call trace'"
}
state_nonzero() { [ $(( $(state_of $1) )) -ne 0 ]; }	# PEER
hv_alive() {	# DESCRIPTION [CELL]: the hypervisor answers, printed no FATAL/panic since the last
	# round but CELL's own (a round that makes CELL fault on purpose)
	check "$1: hypervisor answers (cell list)" jailhouse cell list
	_con=$(new_console | grep -v "FATAL: .*(cell \"${2:-none}\")")
	check "$1: no FATAL or panic on the hypervisor console" \
		sh -c "! echo \"\$0\" | grep -E 'FATAL|panic|Unhandled exception|BUG'" "$_con"
	root_canary_intact "$1: root canary intact"
	mark_console
	info "$1: mem_pool_used $(cat /sys/devices/jailhouse/mem_pool_used)"
}
end_works() {	# DESCRIPTION: the root's echo end answers as it should
	check_output "$1: ID reads 0 (the root is peer 0)" "^0x00000000$" reg 0
	check_output "$1: MAX_PEERS reads 3" "^0x00000003$" reg 4
}
unbind() {	# DEV: detach the driver (config-space abuse must not race it)
	[ -e $1/driver ] && echo "${1##*/}" > $1/driver/unbind
	return 0
}
rebind() {	# DEV
	echo "${1##*/}" > /sys/bus/pci/drivers_probe 2>/dev/null
	[ -e $1/driver ]
}
cell_dir() {	# NAME
	for d in /sys/devices/jailhouse/cells/*; do
		[ "$(cat $d/name 2>/dev/null)" = "$1" ] && echo $d && return 0
	done
	return 1
}
demo_start() {	# CELL CPU ARGS: create (if needed), load ivshmem-demo.bin with ARGS, start
	cell_dir $1 > /dev/null || jailhouse cell create /etc/jailhouse/$1.cell || return 1
	jailhouse cell load $1 $INM/ivshmem-demo.bin -s "con=hvc $3" -a 0x1000 &&
		jailhouse cell start $1
}
irq_count() {	# DEV: interrupts the root took on the end's line so far (all CPUs)
	_irq=$(cat $1/irq)
	awk -v n="$_irq:" '$1 == n { s = 0; for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) s += $i;
		print s }' /proc/interrupts
}

# --- setup -----------------------------------------------------------------------------------
root_canary_write
check "module loads" insmod /lib/modules/jailhouse.ko
check "ivshmem driver loads" insmod /lib/modules/jailhouse_ivshmem.ko
check "enable" jailhouse enable /etc/jailhouse/system.cell
mark_console
U0=$(cat /sys/devices/jailhouse/mem_pool_used)
ECHO=$(ivshmem_func $ECHO_PROTO)
NET=$(ivshmem_func $NET_PROTO)
check "the root's echo end is on its PCI bus" test -n "$ECHO"
check "the root's net end is on its PCI bus" test -n "$NET"
if [ -z "$ECHO" ] || [ -z "$NET" ]; then
	info "no link ends: nothing to attack"
	jailhouse disable
	exit 1
fi
REGS=$(bar0 $ECHO)
REGS0=$REGS
NETREGS=$(bar0 $NET)
info "echo end ${ECHO##*/} BAR0 $(hex $REGS), net end ${NET##*/} BAR0 $(hex $NETREGS)"
# the vendor capability: the shared memory's address and sizes (dwords 0x44..0x5c)
SHM=$(( $(cfg_read $ECHO 0x58) | ($(cfg_read $ECHO 0x5c) << 32) ))
STATE_SIZE=$(cfg_read $ECHO 0x44)
RW_SIZE=$(( $(cfg_read $ECHO 0x48) | ($(cfg_read $ECHO 0x4c) << 32) ))
OUT_SIZE=$(( $(cfg_read $ECHO 0x50) | ($(cfg_read $ECHO 0x54) << 32) ))
OUT0=$((SHM + STATE_SIZE + RW_SIZE))
info "echo link memory $(hex $SHM): state $STATE_SIZE, rw $RW_SIZE, out $OUT_SIZE each"
check "the capability names page-aligned memory" test $((SHM % PAGE)) -eq 0 -a $SHM -ne 0
check "the capability's output sections are not empty" test "$OUT_SIZE" -gt 0
end_works "start"
check "ivshmem-demo (echo, peer 1) starts" demo_start $DEMO 3 "mode=echo"
check "ivshmem-demo-2 (echo, peer 2) starts" demo_start $DEMO2 2 "mode=echo"
check "peer 1 reaches a non-zero state" wait_for 10 state_nonzero 1
check "peer 2 reaches a non-zero state" wait_for 10 state_nonzero 2
DEV=/dev/$(ls $ECHO/misc 2>/dev/null | head -1)
[ "$DEV" = /dev/ ] && DEV=$(ls /dev/ivshmem* 2>/dev/null | head -1)
info "echo char device $DEV"
check "round trip before the abuse" ivshmem-echo $DEV --ping 1 -n 20 -s 512

# --- register page: every width at every register offset, and beyond -------------------------
mark_console
for off in 0 4 8 12 16 20 0x100 0x800 0xffc; do
	for w in 8 16 64; do
		[ $w = 64 ] && [ $((off % 8)) -ne 0 ] && continue
		check_output "reg $off: a $w-bit read reads 0" "^0x0+$" reg $off $w
	done
done
for off in 1 2 3 5 6 7; do
	check_output "reg $off: an 8-bit read inside a register reads 0" "^0x00$" reg $off 8
done
check_output "reg 0x14 (no register): 32-bit read reads 0" "^0x00000000$" reg 0x14
check_output "reg 0xffc (no register): 32-bit read reads 0" "^0x00000000$" reg 0xffc
check "writes of every width to ID and MAX_PEERS" sh -c "devmem $REGS 32 7; devmem $((REGS + 4)) 32 9;
	devmem $REGS 8 7; devmem $((REGS + 4)) 16 9; devmem $REGS 64 0xffffffffffffffff"
end_works "after writes to ID/MAX_PEERS"
ST0=$(reg 16)
check "8/16/64-bit writes to STATE" sh -c "devmem $((REGS + 16)) 8 0x55; devmem $((REGS + 16)) 16 0x5555;
	devmem $((REGS + 16)) 64 0x5555555555555555; devmem $((REGS + 17)) 8 0x55"
check_output "... STATE unchanged" "^$ST0$" reg 16
check_output "... state table entry 0 unchanged" "^$ST0$" state_of 0
check "writes beyond the registers" sh -c "devmem $((REGS + 0x14)) 32 1; devmem $((REGS + 0xffc)) 32 1;
	devmem $((REGS + 0x800)) 64 1; devmem $((REGS + 0xfff)) 8 1"
check_output "... read back 0" "^0x00000000$" reg 0x14
hv_alive "register widths"

# --- doorbells: to itself, beyond the link, to other vectors, to a disabled peer -------------
I1=$(irq_count $ECHO)
for db in 0x00000000 0x00030000 0x00100000 0xffff0000 0x00010001 0x0001ffff 0xffffffff 0x00ff0000; do
	check "doorbell $db (self, no such peer or vector)" regw 12 32 $db
done
check "narrow doorbells (8/16/64-bit) to peer 1" sh -c "devmem $((REGS + 12)) 8 0;
	devmem $((REGS + 14)) 16 1; devmem $((REGS + 8)) 64 0x0001000000000000"
sleep 0.5
check_output "no doorbell to itself reached the root (irq count $I1)" "^$I1$" irq_count $ECHO
hv_alive "bad doorbells"
check "round trip after the bad doorbells" ivshmem-echo $DEV --ping 1 -n 20 -s 512
check "peer 2 still echoes" ivshmem-echo $DEV --ping 2 -n 20 -s 512

# --- state flips: peers get interrupts, the table follows, nobody falls over ----------------
check "1000 state flips" sh -c 'i=0; while [ $i -lt 1000 ]; do devmem '$((REGS + 16))' 32 $((i & 7));
	i=$((i + 1)); done'
check "state 0xdeadbeef" regw 16 32 0xdeadbeef
check_output "the table mirrors it" "^0xDEADBEEF$" state_of 0
check "the driver's state back (ready)" regw 16 32 "$ST0"
hv_alive "state flips"
check "round trip after the state flips" ivshmem-echo $DEV --ping 1 -n 20 -s 512

# --- the shared memory's read-only parts: the root's write must not land --------------------
mark_console
T0=$(state_of 1)
check_fails "root writes peer 1's state entry: refused" devmem $((SHM + 4)) 32 0x12345678
check_output "... entry unchanged" "^$T0$" state_of 1
O1=$(devmem $((OUT0 + OUT_SIZE)) 32)
check_fails "root writes peer 1's output section: refused" devmem $((OUT0 + OUT_SIZE)) 32 0x12345678
check_output "... unchanged" "^$O1$" devmem $((OUT0 + OUT_SIZE)) 32
check_fails "root writes peer 2's output section (last word): refused" \
	devmem $((OUT0 + 3 * OUT_SIZE - 4)) 32 0x12345678
check "root writes its own output section" devmem $((OUT0 + OUT_SIZE - 4)) 32 0x0
for a in $((SHM + 4)) $((OUT0 + OUT_SIZE)) $((OUT0 + 3 * OUT_SIZE - 4)); do
	check "the hypervisor names the refused write at $(printf 0x%x $a)" \
		wait_console "Unhandled data write at $(printf 0x%x $a), size 4"
done
_bad=$(new_console | grep -E 'FATAL|panic' |
	grep -v 'FATAL: access outside the cell on CPU [0-9] (cell "root-linux")')
check "... as the root's own faults (the root goes on), nothing else fatal: $_bad" test -z "$_bad"
mark_console
hv_alive "read-only sections"
check "round trip after the refused writes" ivshmem-echo $DEV --ping 1 -n 20 -s 512

# --- the character device: every malformed request (tests/guest/ivshmem-abuse.c) ------------
ivshmem-abuse $DEV > /tmp/abuse.out 2>&1
info "ivshmem-abuse exit $?"
check "ivshmem-abuse ran its cases" grep -q '^PASS' /tmp/abuse.out
while read -r res name; do
	check "char device: $name" test "$res" = PASS
done < /tmp/abuse.out
check_dmesg_clean "char device abuse"
I1=$(irq_count $ECHO)
printf '\000\000\000\000' | dd of=$DEV bs=4 count=1 2>/dev/null	# a doorbell to itself
sleep 0.5
check_output "write() of a doorbell to itself: no interrupt" "^$I1$" irq_count $ECHO
hv_alive "char device"

# --- configuration space: every register written with all ones --------------------------------
unbind $ECHO
CMD0=$(cfg_read $ECHO 4)
for off in 0x00 0x08 0x0c 0x14 0x18 0x1c 0x20 0x24 0x28 0x2c 0x30 0x34 0x38 0x44 0x48 0x4c \
		0x50 0x54 0x58 0x5c 0x60 0x80 0xfc; do
	before=$(cfg_read $ECHO $off)
	cfg_write $ECHO $off 4 0xffffffff
	check_output "config $off: read-only (stays $before)" "^$before$" cfg_read $ECHO $off
done
check_output "config 0x00: still 110a:4106" "^0x4106110a$" cfg_read $ECHO 0
check_output "config 0x2c: subsystem 110a:4106" "^0x4106110a$" cfg_read $ECHO 0x2c
check_output "config 0x34: capability pointer 0x40" "^0x00000040$" cfg_read $ECHO 0x34
cfg_write $ECHO 0x3c 4 0xffffffff
check_output "config 0x3c: line writable, pin A stays" "^0x000001ff$" cfg_read $ECHO 0x3c
cfg_write $ECHO 0x40 4 0xffffffff
check_output "config 0x40: only the one-shot bit of the capability is writable" "^0x01200009$" \
	cfg_read $ECHO 0x40
cfg_write $ECHO 0x40 4 0
cfg_write $ECHO 0x04 4 0xffffffff
check_output "config 0x04: status 0010h, only MEM/MASTER/INTX_DISABLE writable" \
	"^0x00100(406|402|400)$" cfg_read $ECHO 4
for off in 1 2 3 5 6 7 9 0x11 0x13 0x3d 0x41 0x43 0x45; do
	cfg_write $ECHO $off 1 0xff
done
for off in 2 6 0x12 0x3e 0x42; do
	cfg_write $ECHO $off 2 0xffff
done
check_output "byte/word writes: ids intact" "^0x4106110a$" cfg_read $ECHO 0
check_output "byte/word writes: capability header intact" "^0x0[01]200009$" cfg_read $ECHO 0x40
check_output "byte/word writes: shared memory address intact" "^$(printf '0x%08x' $((SHM & 0xffffffff)))$" \
	cfg_read $ECHO 0x58
cfg_write $ECHO 0x10 4 0xffffffff
check_output "BAR0 sizing: 4 KiB 32-bit memory" "^0xfffff000$" cfg_read $ECHO 0x10
cfg_write $ECHO 0x10 4 $REGS0
cfg_write $ECHO 0x04 4 "$CMD0"
cfg_write $ECHO 0x43 1 0	# the byte writes set one-shot mode: the driver never re-arms it
end_works "config space restored"
hv_alive "config space"

# --- BAR0 moved: over the root's RAM, the GIC, the other end, unaligned, out of the window ----
# (trapping a page of the root's I/O space splits its stage-2 block: the page tables stay; G is
# what the moves cost, bounded by the blocks of the root's I/O regions)
PB0=$(cat /sys/devices/jailhouse/mem_pool_used)
bar_round() {	# NAME ADDRESS: BAR0 (memory decode on) at ADDRESS, the root works, then back
	# nothing is printed while BAR0 is away: over a root device (the PL011) the console is gone
	cfg_write $ECHO 0x10 4 $2
	_cfg=$(cfg_read $ECHO 0x10)
	ls / > /dev/null && cat /proc/interrupts > /dev/null
	_work=$?
	_old=$(devmem $((REGS0 + 4)) 32)
	cfg_write $ECHO 0x10 4 $REGS0
	info "BAR0 at $(hex $2) ($1): config read $_cfg, the old page's MAX_PEERS $_old"
	check "BAR0 over $1: root works" test "$_work" -eq 0
	if [ $(($2 & ~0xfff)) -eq $REGS0 ]; then
		check "BAR0 at $1: the address is masked to the page ($_cfg)" test $((_cfg)) -eq $REGS0
	else
		check "BAR0 over $1: the old page no longer shows the registers" test "$_old" != 0x00000003
	fi
	end_works "BAR0 back from $1"
	hv_alive "BAR0 over $1"
}
T0=$(awk '/arch_timer/ { s = 0; for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) s += $i; print s }' \
	/proc/interrupts)
# a free page of the window: the end decodes there (and only there)
cfg_write $ECHO 0x10 4 0x3e000000
check_output "BAR0 moved to a free page of the window: it decodes there" "^0x00000003$" devmem 0x3e000004 32
check_fails "... and no longer at the old page" sh -c "[ \$(devmem $((REGS0 + 4)) 32) = 0x00000003 ]"
cfg_write $ECHO 0x10 4 $REGS0
end_works "BAR0 back from a free page"
bar_round "the root's RAM" 0x40000000
bar_round "the kernel's data" 0x$(sed -n 's/^ *\([0-9a-f]*\)-[0-9a-f]* : Kernel data$/\1/p' /proc/iomem | head -1)
bar_round "the GIC distributor" 0x08000000
bar_round "the GIC redistributors" 0x080a0000
bar_round "the PL011" 0x09000000
bar_round "the net end's page" $NETREGS
check_output "net end still answers (MAX_PEERS 2)" "^0x00000002$" devmem $((NETREGS + 4)) 32
bar_round "an unaligned address" $((REGS0 + 0x800))
bar_round "the top of the 32-bit space" 0xfffff000
bar_round "page 0" 0
bar_round "the ECAM's low alias / PIO window" 0x3eff0000
bar_round "the link memory itself" $((SHM & 0xffffffff))
sleep 0.2
T1=$(awk '/arch_timer/ { s = 0; for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) s += $i; print s }' \
	/proc/interrupts)
check "the root's timer keeps ticking ($T0 -> $T1)" test "$T1" -gt "$T0"
# a BAR moved while decoding is off, then decoding turned on and off repeatedly
cfg_write $ECHO 0x04 2 0
cfg_write $ECHO 0x10 4 0x40001000
cfg_write $ECHO 0x10 4 $REGS0
check "memory decode toggled 200 times" sh -c 'i=0; while [ $i -lt 200 ]; do
	printf "\\002\\000" | dd of='$ECHO'/config bs=2 seek=2 count=1 conv=notrunc 2>/dev/null
	printf "\\000\\000" | dd of='$ECHO'/config bs=2 seek=2 count=1 conv=notrunc 2>/dev/null
	i=$((i + 1)); done'
cfg_write $ECHO 0x04 4 "$CMD0"
end_works "after decode toggles"
check "the echo end's driver binds again" rebind $ECHO
DEV=$(ls /dev/ivshmem* 2>/dev/null | head -1)
check "round trip after the config-space abuse" ivshmem-echo $DEV --ping 1 -n 20 -s 512
hv_alive "BAR0 moves"
G=$(( $(cat /sys/devices/jailhouse/mem_pool_used) - PB0 ))
info "BAR0 moves: the root's stage 2 grew by $G page-table pages"
check "BAR0 moves: the root's stage-2 growth is bounded (at most 8 pages here, $G)" test $G -le 8

# --- doorbell flood from the root (the char device, 4 bytes a write) --------------------------
i=0
: > /tmp/flood
while [ $i -lt 1024 ]; do printf '\000\000\001\000' >> /tmp/flood; i=$((i + 1)); done
i=0
while [ $i -lt 5 ]; do cat /tmp/flood /tmp/flood /tmp/flood /tmp/flood > /tmp/flood4; mv /tmp/flood4 /tmp/flood
	i=$((i + 1)); done	# 1 Mi doorbells
check "1 Mi doorbells to peer 1 through write()" dd if=/tmp/flood of=$DEV bs=4 count=100000
check "peer 2 unaffected: round trip" ivshmem-echo $DEV --ping 2 -n 20 -s 512
check "peer 1 still echoes after the flood" ivshmem-echo $DEV --ping 1 -n 20 -s 512
hv_alive "root flood"

# --- peer death: destroyed during the root's flood ---------------------------------------------
dd if=/tmp/flood of=$DEV bs=4 2>/dev/null &
FLOOD=$!
sleep 1
t0=$(cut -d' ' -f1 /proc/uptime)
check "ivshmem-demo destroyed during the root's doorbell flood" jailhouse cell destroy $DEMO
t1=$(cut -d' ' -f1 /proc/uptime)
check "... within 5 s" awk "BEGIN { exit !($t1 - $t0 < 5) }"
check_output "peer 1's state entry is 0" "^0x00000000$" state_of 1
check_output "peer 1's output section is cleared (first word)" "^0x00000000$" devmem $((OUT0 + OUT_SIZE)) 32
check_output "... (last word)" "^0x00000000$" devmem $((OUT0 + 2 * OUT_SIZE - 4)) 32
kill $FLOOD 2>/dev/null
( sleep 10; kill -9 $FLOOD 2>/dev/null ) &
WATCH=$!
wait $FLOOD
rc=$?
kill $WATCH 2>/dev/null
check "the root's flood writer ends on SIGTERM (not stuck in the driver; exit $rc)" test $rc -ne 137
check_fails_with "a ping to the dead peer fails clearly, no hang" "state|peer|timeout" \
	timeout 20 ivshmem-echo $DEV --ping 1 -n 5
check "peer 2 unaffected: round trip" ivshmem-echo $DEV --ping 2 -n 20 -s 512
hv_alive "peer death"

# --- peer death at every stage while the root pings it ------------------------------------------
# created only, started, shut down, failed (write-state), destroyed right after start: each time
# the root's ping run ends by itself with a clear error (no hang), the entry is 0
for stage in created started shutdown failed quick; do
	case $stage in
	created) jailhouse cell create /etc/jailhouse/$DEMO.cell > /dev/null 2>&1 ;;
	failed) demo_start $DEMO 3 "mode=write-state delay-ms=3000" > /dev/null 2>&1 ;;
	*) demo_start $DEMO 3 "mode=echo" > /dev/null 2>&1 ;;
	esac
	[ $stage = quick ] || sleep 1
	timeout 30 ivshmem-echo $DEV --ping 1 -n 1000000 -s 256 > /tmp/ping.out 2>&1 &
	PING=$!
	sleep 2
	case $stage in
	shutdown) jailhouse cell shutdown $DEMO ;;
	failed) wait_cell_state $DEMO failed 10 ;;
	*) jailhouse cell destroy $DEMO ;;
	esac
	wait $PING
	rc=$?
	info "peer death ($stage): ping exit $rc: $(tail -1 /tmp/ping.out)"
	check "peer death ($stage): the root's ping ends by itself with an error (exit $rc)" \
		test $rc -ne 0 -a $rc -ne 124 -a $rc -ne 143
	check_output "peer death ($stage): peer 1's state entry 0" "^0x00000000$" state_of 1
	cell_dir $DEMO > /dev/null && jailhouse cell destroy $DEMO
	hv_alive "peer death ($stage)" $DEMO
done

# --- the inmate floods the root; destroyed in the middle --------------------------------------
console_follow
before=$(root_work)
check "ivshmem-demo recreated, floods the root (peer 0)" demo_start $DEMO 3 "mode=flood peer=0"
sleep 2
I1=$(irq_count $ECHO)
during=$(root_work)
info "root: 100 commands in $before s before, $during s during the flood"
check "root responsive during the flood (within 15x before + 10 s)" \
	awk "BEGIN { exit !($during <= 15 * $before + 10) }"
sleep 0.5
I2=$(irq_count $ECHO)
check "the flood reaches the root (coalesced): irq count $I1 -> $I2" test "$I2" -gt "$I1"
check "peer 2 unaffected during the flood" ivshmem-echo $DEV --ping 2 -n 20 -s 512
check "ivshmem-demo destroyed during its flood" jailhouse cell destroy $DEMO
check_output "peer 1's state entry is 0 again" "^0x00000000$" state_of 1
kill $CONSOLE_PID 2>/dev/null
hv_alive "inmate flood"

# --- the inmate abuses its own end (modes as ivshmem-demo has them) --------------------------
for mode in write-peer write-state; do
	check "$mode: ivshmem-demo starts" demo_start $DEMO 3 "mode=$mode"
	check "$mode: ends FAILED" wait_cell_state $DEMO failed 10
	check_output "$mode: its state entry is 0" "^0x00000000$" state_of 1
	check_output "$mode: peer 2's output section intact (its magic)" "." devmem $((OUT0 + 2 * OUT_SIZE)) 32
	check "$mode: destroy" jailhouse cell destroy $DEMO
	hv_alive "$mode" $DEMO
done

# --- the cell abuses its own end: registers at every width, BAR0 moved around -----------------
check "regs: ivshmem-demo starts" demo_start $DEMO 3 "mode=regs"
check "regs: done, registers intact (id 1, 3 peers, interrupts on)" \
	wait_console "regs done id=1 peers=3 int_ctrl=1"
check "regs: still echoes afterwards" ivshmem-echo $DEV --ping 1 -n 20 -s 512
check "regs: peer 2 unaffected" ivshmem-echo $DEV --ping 2 -n 20 -s 512
check "regs: destroy" jailhouse cell destroy $DEMO
hv_alive "cell regs"
# over its image (guest 0x1000), the GIC distributor and redistributors, its comm page, the
# PCI I/O window, its link memory (guest = physical), the root's end's page, page 0
for where in image:0x1000 gicd:0x08000000 gicr:0x080a0000 comm:0x80000000 pio:0x3eff0000 \
		link:$((SHM & 0xffffffff)) root-end:$REGS0 zero:0x0; do
	name=${where%%:*}; addr=${where#*:}
	mark_console
	check "bar0 over $name ($addr): ivshmem-demo starts" demo_start $DEMO 3 "mode=bar0 addr=$addr"
	wait_console "bar0 0x[0-9a-f]+ state=|FAILED" || true
	info "bar0 over $name: $(new_console | grep -E 'bar0|FAILED|Unhandled' | tr '\n' ' ')"
	st=$(cell_state_of $DEMO)
	check "bar0 over $name: the cell runs or FAILED, nothing else ($st)" \
		test "$st" = running -o "$st" = failed
	check "bar0 over $name: peer 2 still echoes" ivshmem-echo $DEV --ping 2 -n 10 -s 64
	end_works "bar0 over $name: the root's end"
	check "bar0 over $name: destroy" jailhouse cell destroy $DEMO
	hv_alive "bar0 over $name" $DEMO
done

# --- the root's end unbound under a running ping, removed and rescanned ------------------------
check "ivshmem-demo echoes again" demo_start $DEMO 3 "mode=echo"
check "peer 1 ready" wait_for 10 state_nonzero 1
timeout 60 ivshmem-echo $DEV --ping 1 -n 1000000 -s 128 > /tmp/ping.out 2>&1 &
PING=$!
sleep 2
check "unbind the driver under the running ping" unbind $ECHO
wait $PING
rc=$?
info "unbind under ping: exit $rc: $(tail -1 /tmp/ping.out)"
check "... the ping ends by itself with an error (exit $rc)" test $rc -ne 0 -a $rc -ne 124
check "remove the root's echo end" sh -c "echo 1 > $ECHO/remove"
check "rescan finds it again" sh -c "echo 1 > /sys/bus/pci/rescan; sleep 1; test -e $ECHO"
check "the driver binds it again" wait_for 10 test -e $ECHO/driver
DEV=$(ls /dev/ivshmem* 2>/dev/null | head -1)
check "round trip after remove/rescan" ivshmem-echo $DEV --ping 1 -n 20 -s 512
check "ivshmem-demo destroyed" jailhouse cell destroy $DEMO
hv_alive "unbind/remove/rescan"

# --- the device goes away under an open, mapped file (disable removes the root's ends) -------
check "ivshmem-demo-2 destroyed" jailhouse cell destroy $DEMO2
ivshmem-abuse $DEV hold 60 > /tmp/hold.out 2>&1 &
HOLD=$!
check "a process holds the char device open and mapped" wait_for 10 grep -q held /tmp/hold.out
check_output "memory pool back to where it was before the cells ($U0 + $G page tables)" "^$((U0 + G))$" \
	cat /sys/devices/jailhouse/mem_pool_used
check_dmesg_clean "whole test"
check "disable while the char device is open and mapped" jailhouse disable
kill -USR1 $HOLD
wait $HOLD
info "the holder exited with $?"
while read -r res name; do
	[ "$res" = held ] || check "removed device: $name" test "$res" = PASS
done < /tmp/hold.out
check_dmesg_clean "removal under open files"
check "driver unloads" rmmod jailhouse_ivshmem
check "module unloads" rmmod jailhouse
root_canary_intact "end: root canary intact"
