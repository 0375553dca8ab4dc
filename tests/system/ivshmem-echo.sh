# Inter-cell link "echo" (root-linux = peer 0, ivshmem-demo = 1, ivshmem-demo-2 = 2; protocol
# echo, hv/include/ivshmem_echo.h): the root's end appears on its PCI bus after enable and
# gets /dev/ivshmemN from jailhouse_ivshmem.ko; round trips with checked data in both
# directions (the root's ivshmem-echo tool pings the bare-metal ivshmem-demo, the inmate pings
# the tool's --serve), the third peer ivshmem-demo-2 (pinged by the root and by ivshmem-demo),
# the inmate destroyed in the middle of a ping run (the tool ends with a clear error, nothing
# hangs, the peer's state entry is 0), memory pool and root PCI functions as before, the cell
# created again and answering, module unload and disable clean.
# timeout: 400

INM=/usr/share/jailhouse/inmates/ivshmem-demo.bin
CELL1=/etc/jailhouse/ivshmem-demo.cell
CELL2=/etc/jailhouse/ivshmem-demo-2.cell

start_demo() {	# CELL-NAME ARGS: (re)load ivshmem-demo.bin with ARGS and start it
	jailhouse cell load $1 $INM -s "con=hvc $2" -a 0x1000 && jailhouse cell start $1
}

echoed() {	# CELL-NAME: its latest "echoed N" figure
	jailhouse console | sed -n "s/^\[$1\] echoed \([0-9]*\).*/\1/p" | tail -1
}

echoed_is() { [ "$(echoed $1)" = "$2" ]; }	# CELL-NAME N
state_is() { [ "$(peer_state $1)" -eq "$2" ]; }	# PEER STATE
ends_are() { [ "$(ivshmem_count)" -eq "$1" ]; }	# N
bad_messages() { new_console | grep -E 'sum|too long|bad messages'; }

finish() {	# PID SECONDS: wait for a background job (killed after SECONDS); its exit code in RC
	wait_for $2 gone $1
	kill $1 2>/dev/null
	wait $1
	RC=$?
}

check "module loads" insmod /lib/modules/jailhouse.ko
fn0=$(ivshmem_count)
check "enable" jailhouse enable /etc/jailhouse/system.cell
check "the root's two link ends appear on its PCI bus (had $fn0)" \
	wait_for 10 ends_are 2
FN=$(ivshmem_func 0xff4000)
check "the echo link's end: class ff4000 ($FN)" test -n "$FN"
check_output "its interrupt pin is INTA" "^0x01$|^1$" sh -c "printf '0x%02x\n' \
	\$(od -An -tu1 -j 61 -N 1 $FN/config)"
ivshmem_layout $FN
info "echo link: memory 0x$(printf %x $L_ADDR), state table $L_STATE, rw $L_RW, output $L_OUT bytes"
check "the capability reports the layout (state table a page, outputs 64 KiB)" \
	test "$L_STATE" -eq 4096 -a "$L_OUT" -eq 65536 -a "$L_ADDR" -ne 0
check "jailhouse_ivshmem.ko loads" insmod /lib/modules/jailhouse_ivshmem.ko
check "a character device for the echo link" wait_for 10 sh -c 'ls /dev/ivshmem*'
DEV=$(ls /dev/ivshmem* 2>/dev/null | head -1)
info "echo link device: $DEV, driver $(basename $(readlink $FN/driver) 2>/dev/null)"
used0=$(cat /sys/devices/jailhouse/mem_pool_used)
iomem0=$(grep -c . /proc/iomem)

# ivshmem-demo (peer 1) answers
mark_console
check "ivshmem-demo: create" jailhouse cell create $CELL1
check "ivshmem-demo: load and start (mode=echo)" start_demo ivshmem-demo "mode=echo"
check "ivshmem-demo: found its end and is READY" wait_console '^\[ivshmem-demo\] ivshmem-demo: state READY'
check_output "ivshmem-demo: id 1 of 3 peers, its SPI from the Interrupt Line" \
	'^\[ivshmem-demo\] ivshmem-demo: 00:..\.0 class ff4000 bar0 0x[0-9a-f]+ irq [1-9][0-9]+ id 1 of 3 peers' new_console
check "ivshmem-demo: its state READY in the state table" wait_for 5 state_is 1 1
check_output "root -> ivshmem-demo: 200 round trips of 64 bytes, all checked" \
	"ping: count=200 bad=0 " ivshmem-echo $DEV --ping 1 -n 200 -s 64
ivshmem-echo $DEV --ping 1 -n 50 -s 20000 > /tmp/big.out 2>&1
check "root -> ivshmem-demo: 50 round trips of 20000 bytes (exit $?)" test $? -eq 0
check_output "... all checked" "ping: count=50 bad=0 " cat /tmp/big.out
grep "ping:" /tmp/big.out | while read -r l; do info "root -> ivshmem-demo, 20000 bytes: $l"; done
check "ivshmem-demo: counted exactly the 250 messages" wait_for 5 echoed_is ivshmem-demo 250
info "ivshmem-demo: echoed $(echoed ivshmem-demo)"
check_fails "ivshmem-demo: no bad message" bad_messages

# ivshmem-demo pings the root's --serve (started once the pinger waits for the root's READY:
# no answer of the inmate's predecessor is left in its output section then)
mark_console
check "ivshmem-demo: restarted as pinger of peer 0" start_demo ivshmem-demo \
	"mode=ping peer=0 count=100 size=256"
check "ivshmem-demo: waits for the root" wait_console '^\[ivshmem-demo\] ping: waiting for peer 0'
ivshmem-echo $DEV --serve -n 100 -t 120 > /tmp/serve.out 2>&1 &
SERVE=$!
check "ivshmem-demo -> root: 100 round trips of 256 bytes, all answered and checked" \
	wait_console '^\[ivshmem-demo\] ping peer=0 size=256: ok=100 bad=0 timeouts=0$'
new_console | grep 'rtt ns' | while read -r l; do info "ivshmem-demo -> root serve: $l"; done
finish $SERVE 30
check "root: --serve answered 100 and ended by itself (exit $RC)" test $RC -eq 0
check_output "root: --serve answered exactly 100, none bad" "serve: answered=100 bad=0" \
	cat /tmp/serve.out

# the third peer
mark_console
check "ivshmem-demo-2: create" jailhouse cell create $CELL2
check "ivshmem-demo-2: load and start (mode=echo)" start_demo ivshmem-demo-2 "mode=echo"
check "ivshmem-demo-2: READY" wait_console '^\[ivshmem-demo-2\] ivshmem-demo: state READY'
check_output "ivshmem-demo-2: id 2 of 3" '^\[ivshmem-demo-2\] ivshmem-demo: .* id 2 of 3 peers' new_console
check_output "root -> ivshmem-demo-2: 100 round trips" "ping: count=100 bad=0 " \
	ivshmem-echo $DEV --ping 2 -n 100 -s 512
check "ivshmem-demo: restarted as pinger of peer 2" start_demo ivshmem-demo \
	"mode=ping peer=2 count=100 size=1000"
check "ivshmem-demo -> ivshmem-demo-2: 100 round trips, all checked" \
	wait_console '^\[ivshmem-demo\] ping peer=2 size=1000: ok=100 bad=0 timeouts=0$'
new_console | grep '^\[ivshmem-demo\] rtt ns' | while read -r l; do info "ivshmem-demo -> ivshmem-demo-2: $l"; done
check "ivshmem-demo-2: answered both (echoed 200)" wait_for 5 echoed_is ivshmem-demo-2 200

# ivshmem-demo destroyed while the root pings it
check "ivshmem-demo: restarted as echo" start_demo ivshmem-demo "mode=echo"
check "ivshmem-demo: READY again" wait_for 10 state_is 1 1
ivshmem-echo $DEV --ping 1 -n 10000000 -s 64 > /tmp/ping.out 2>&1 &
PING=$!
sleep 3
check "root's ping run still going after 3 s" kill -0 $PING
check "ivshmem-demo: destroyed mid-run" jailhouse cell destroy ivshmem-demo
check "root's ping run ends by itself within 10 s" wait_for 10 gone $PING
finish $PING 1
info "root ping at destroy: exit $RC: $(tail -3 /tmp/ping.out | tr '\n' ' ')"
check "root's ping run failed (exit $RC)" test $RC -ne 0 -a $RC -lt 128
check_output "with a clear message about the peer" "peer|state" cat /tmp/ping.out
check "the destroyed peer's state entry is 0" test "$(peer_state 1)" -eq 0
check "its output section was cleared" test "$(mem32 $(out_section 1))" -eq 0 -a \
	"$(mem32 $(($(out_section 1) + L_OUT - 4)))" -eq 0
check_output "root -> ivshmem-demo-2 unaffected" "ping: count=20 bad=0 " \
	ivshmem-echo $DEV --ping 2 -n 20
check_fails "root -> the destroyed peer fails quickly" timeout 20 ivshmem-echo $DEV --ping 1 -n 1

# created again
check "ivshmem-demo: created again" jailhouse cell create $CELL1
check "ivshmem-demo: load and start" start_demo ivshmem-demo "mode=echo"
check "ivshmem-demo: READY again" wait_for 10 state_is 1 1
check_output "root -> ivshmem-demo again: 50 round trips" "ping: count=50 bad=0 " \
	ivshmem-echo $DEV --ping 1 -n 50

check "ivshmem-demo: destroy" jailhouse cell destroy ivshmem-demo
check "ivshmem-demo-2: destroy" jailhouse cell destroy ivshmem-demo-2
check_output "hypervisor memory use back where it began" "^$used0\$" \
	cat /sys/devices/jailhouse/mem_pool_used
check "root's /proc/iomem as before ($iomem0 lines)" test "$(grep -c . /proc/iomem)" -eq "$iomem0"
check "jailhouse_ivshmem.ko unloads" timeout 30 rmmod jailhouse_ivshmem
check_fails "no ivshmem device left" sh -c 'ls /dev/ivshmem* 2>/dev/null | grep .'
check "disable" timeout 60 jailhouse disable
check "the root's link ends are gone after disable" test "$(ivshmem_count)" -eq "$fn0"
check "module unloads" rmmod jailhouse
