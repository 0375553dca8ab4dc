# Inter-cell link "echo": a peer that writes where the layout gives it no right ends FAILED and
# hurts no one. ivshmem-demo (peer 1) fills its own output section, then writes into peer 2's
# output section (mode=write-peer) or into the state table (mode=write-state): both are
# read-only for it (stage-2 write fault). Each time: the cell FAILED, its state-table entry 0,
# its output section cleared, ivshmem-demo-2 (peer 2) still running and answering the root,
# its output section untouched, the root unaffected; memory pool back where it began. Then
# ivshmem-demo floods doorbells (mode=flood) to ivshmem-demo-2 and to the root: both keep
# answering, the flood costs the flooder its exits.
# timeout: 300

INM=/usr/share/jailhouse/inmates/ivshmem-demo.bin

start_demo() {	# CELL-NAME ARGS
	jailhouse cell load $1 $INM -s "con=hvc $2" -a 0x1000 && jailhouse cell start $1
}

state_is() { [ "$(peer_state $1)" -eq "$2" ]; }		# PEER STATE
word_is() { [ "$(mem32 $1)" -eq "$(($2))" ]; }		# ADDRESS VALUE
untouched() { word_is $s2 $p2a && word_is $((s2 + 16)) $p2b; }	# peer 2's answer
went_through() { jailhouse console | grep -q 'the write went through'; }

# section_is PEER VALUE: first, middle and last word of PEER's output section
section_is() {
	_s=$(out_section $1)
	word_is $_s $2 && word_is $((_s + L_OUT / 2)) $2 && word_is $((_s + L_OUT - 4)) $2
}

check "module loads" insmod /lib/modules/jailhouse.ko
check "enable" jailhouse enable /etc/jailhouse/system.cell
FN=$(ivshmem_func 0xff4000)
check "the root's end of the echo link ($FN)" test -n "$FN"
ivshmem_layout $FN
check "the root reads the link memory through /dev/mem (its state entry: $(peer_state 0))" \
	mem32 $L_ADDR
check "jailhouse_ivshmem.ko loads" insmod /lib/modules/jailhouse_ivshmem.ko
DEV=$(ls /dev/ivshmem* 2>/dev/null | head -1)
check "a character device for the echo link ($DEV)" test -c "$DEV"
root_canary_write
used0=$(cat /sys/devices/jailhouse/mem_pool_used)

check "ivshmem-demo-2 (peer 2): create, load, start echo" sh -c "jailhouse cell create \
	/etc/jailhouse/ivshmem-demo-2.cell && jailhouse cell load ivshmem-demo-2 $INM \
	-s 'con=hvc mode=echo' -a 0x1000 && jailhouse cell start ivshmem-demo-2"
check "ivshmem-demo-2: READY" wait_for 10 state_is 2 1
check_output "root -> ivshmem-demo-2: 20 round trips" "ping: count=20 bad=0 " ivshmem-echo $DEV --ping 2 -n 20
s2=$(out_section 2)
p2a=$(mem32 $s2)		# ivshmem-demo-2's latest answer to the root (slot 0): seq
p2b=$(mem32 $((s2 + 16)))	# ... and its first data word
check "ivshmem-demo-2's answers are in its output section (seq $p2a)" test "$p2a" -ne 0

for mode in write-peer write-state; do
	mark_console
	check "$mode: ivshmem-demo create" jailhouse cell create /etc/jailhouse/ivshmem-demo.cell
	check "$mode: load and start" start_demo ivshmem-demo "mode=$mode peer=2 delay-ms=4000"
	check "$mode: ivshmem-demo READY" wait_for 10 state_is 1 1
	check "$mode: the root sees its output section filled (a5)" wait_for 4 section_is 1 0xa5a5a5a5
	check "$mode: ivshmem-demo FAILED after its write" wait_cell_state ivshmem-demo failed 20
	check_fails "$mode: the write did not go through" went_through
	check_output "$mode: the hypervisor reports the fault" "ivshmem-demo" new_console
	check "$mode: its state entry is 0" state_is 1 0
	check "$mode: its output section is cleared" section_is 1 0
	check "$mode: ivshmem-demo-2 still READY" state_is 2 1
	check_output "$mode: ivshmem-demo-2 still running" "^running$" cell_state_of ivshmem-demo-2
	check "$mode: ivshmem-demo-2's output section untouched" untouched
	check "$mode: the state table's other entries intact (root 0, peer 2 READY)" \
		test "$(peer_state 2)" -eq 1
	check_output "$mode: root -> ivshmem-demo-2 still answered" "ping: count=20 bad=0 " \
		ivshmem-echo $DEV --ping 2 -n 20 -s 100
	p2a=$(mem32 $s2)
	p2b=$(mem32 $((s2 + 16)))
	check_fails "$mode: root -> the failed peer refused/fails quickly" \
		timeout 20 ivshmem-echo $DEV --ping 1 -n 1
	check "$mode: destroy the failed cell" jailhouse cell destroy ivshmem-demo
	check "$mode: its state entry still 0 after destroy" state_is 1 0
done

# a peer flooding doorbells: to ivshmem-demo-2, then to the root; both keep answering
root_irqs() { grep -E 'jailhouse_ivshmem|ivshmem' /proc/interrupts | awk '{ s += $2 + $3 + $4 + $5 }
	END { print s + 0 }'; }
floods() { jailhouse console | grep -c "^\[ivshmem-demo\] flood: [0-9]* doorbells to peer $1\$"; }
check "flood: ivshmem-demo create" jailhouse cell create /etc/jailhouse/ivshmem-demo.cell
for target in 2 0; do
	i0=$(root_irqs)
	n0=$(floods $target)
	check "flood -> peer $target: start" start_demo ivshmem-demo "mode=flood peer=$target"
	check "flood -> peer $target: it floods (two progress lines)" \
		wait_for 20 sh -c "[ \$(jailhouse console | grep -c '^\[ivshmem-demo\] flood: [0-9]* doorbells to peer $target\$') -ge $((n0 + 2)) ]"
	check_output "flood -> peer $target: root -> ivshmem-demo-2 still answered" \
		"ping: count=50 bad=0 " ivshmem-echo $DEV --ping 2 -n 50
	check "flood -> peer $target: the flooder's doorbells trap (mmio exits $(jailhouse cell stats \
		ivshmem-demo | awk '$1 == "vmexits_mmio" { print $2 }'))" sh -c "jailhouse cell stats \
		ivshmem-demo | awk '\$1 == \"vmexits_mmio\" && \$2 > 1000 { ok = 1 } END { exit !ok }'"
	[ $target = 0 ] && check "flood -> root: the root's link interrupts rose ($i0 -> $(root_irqs))" \
		test "$(root_irqs)" -gt "$i0"
	check_output "flood -> peer $target: ivshmem-demo-2 still running" "^running$" \
		cell_state_of ivshmem-demo-2
done
jailhouse console | grep '^\[ivshmem-demo\] flood:' | tail -1 | while read -r l; do info "$l"; done
check "flood: destroy the flooder" jailhouse cell destroy ivshmem-demo
check_output "root -> ivshmem-demo-2 after the flood" "ping: count=20 bad=0 " \
	ivshmem-echo $DEV --ping 2 -n 20

check "ivshmem-demo-2: destroy" jailhouse cell destroy ivshmem-demo-2
check "ivshmem-demo-2's state entry 0 after destroy" state_is 2 0
check "ivshmem-demo-2's output section cleared after destroy" section_is 2 0
root_canary_intact "root: canary intact"
check_output "hypervisor memory use back where it began" "^$used0\$" \
	cat /sys/devices/jailhouse/mem_pool_used
check "jailhouse_ivshmem.ko unloads" timeout 30 rmmod jailhouse_ivshmem
check "disable" timeout 60 jailhouse disable
check "module unloads" rmmod jailhouse
