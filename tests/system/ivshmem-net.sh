# Inter-cell link "net" (root-linux = peer 0, linux-demo = 1; protocol net): Ethernet between
# the root and a Linux cell over jailhouse_ivshmem.ko's ivnet0 on both sides (the cell's side:
# cell.mode=net in tests/guest/cell-init, 10.0.18.2; the root 10.0.18.1). Carrier only while
# both ends run; ping -c 100 without loss; 16 MiB over TCP each way with the sha256 compared
# on both sides (cell -> root: busybox httpd/wget; root -> cell: nc); the cell destroyed in the
# middle of a transfer: the root sees the carrier drop, the sender does not hang in the kernel,
# ping fails quickly, the module unloads, memory pool back where it began.
# linux: yes
# cell-clean: yes
# timeout: 400
# cell-console: Kernel command line: .*cell\.mode=net
# cell-console: LINUX-CELL-INIT mode=net cpus=2
# cell-console: LINUX-CELL-NET up carrier=1
# cell-console: LINUX-CELL-NET received 16777216 bytes sha256 [0-9a-f]{64}

CELL_IP=10.0.18.2
NETDEV=/sys/class/net/ivnet0

carrier_is() { [ "$(cat $NETDEV/carrier 2>/dev/null)" = "$1" ]; }
now() { cut -d' ' -f1 /proc/uptime; }
rate() {	# BYTES T0 T1: MB/s
	echo "$1 $2 $3" | awk '{ d = $3 - $2; r = 0; if (d > 0) r = $1 / d / 1000000
		printf "%.1f MB/s (%.1f s)\n", r, d }'
}
up_sum() { wget -q -O /tmp/up.cell http://$CELL_IP/up.sha256 && [ -s /tmp/up.cell ]; }
tx() { cat $NETDEV/statistics/tx_bytes; }

check "module loads" insmod /lib/modules/jailhouse.ko
check "enable" jailhouse enable /etc/jailhouse/system.cell
FN=$(ivshmem_func 0xff0001)
check "the root's end of the net link: class ff0001 ($FN)" test -n "$FN"
check "jailhouse_ivshmem.ko loads" insmod /lib/modules/jailhouse_ivshmem.ko
check "ivnet0 appears" wait_for 10 test -e $NETDEV
check "ivnet0: address and up" sh -c "ip addr add 10.0.18.1/24 dev ivnet0 && ip link set ivnet0 up"
check "ivnet0: no carrier while the peer is absent" wait_for 3 carrier_is 0
info "ivnet0: mtu $(cat $NETDEV/mtu)"
root_canary_write
used0=$(cat /sys/devices/jailhouse/mem_pool_used)

check_output "linux-demo boots with cell.mode=net" 'Cell "linux-demo" created' \
	linux_cell_boot net "cell.seconds=600"
t0=$(now)
check "ivnet0: carrier up once the cell's driver runs" wait_for 180 carrier_is 1
info "carrier up $(echo "$t0 $(now)" | awk '{ printf "%.1f", $2 - $1 }') s after cell linux returned"
check "the cell answers ping" wait_for 60 ping -c 1 -W 2 $CELL_IP
check_output "ping -c 100: no loss" " 0% packet loss" ping -c 100 -i 0.1 -W 5 $CELL_IP
ping -c 20 -i 0.1 $CELL_IP | grep round-trip | while read -r l; do info "ping: $l"; done

# cell -> root: 16 MiB of the cell's random data, its sha256 computed there
t0=$(now)
check "wget 16 MiB from the cell" timeout 200 wget -q -O /tmp/big http://$CELL_IP/big
t1=$(now)
info "cell -> root: $(rate $(wc -c < /tmp/big) $t0 $t1)"
check_output "16 MiB arrived" "^16777216$" sh -c 'wc -c < /tmp/big'
check "the cell's sha256 arrives" timeout 30 wget -q -O /tmp/big.cell http://$CELL_IP/big.sha256
check "cell -> root: sha256 equal on both sides ($(cut -c1-16 /tmp/big.cell 2>/dev/null)...)" \
	test "$(sha256sum < /tmp/big | cut -d' ' -f1)" = "$(cat /tmp/big.cell)" -a -s /tmp/big.cell

# root -> cell: 16 MiB of the root's random data, its sha256 computed by the cell
dd if=/dev/urandom of=/tmp/up bs=1M count=16 2>/dev/null
t0=$(now)
check "nc: 16 MiB to the cell" timeout 200 nc $CELL_IP 5000 < /tmp/up
t1=$(now)
info "root -> cell: $(rate 16777216 $t0 $t1)"
check "the cell's sha256 of the upload" wait_for 60 up_sum
check "root -> cell: sha256 equal on both sides" \
	test "$(sha256sum < /tmp/up | cut -d' ' -f1)" = "$(cat /tmp/up.cell)"
rm -f /tmp/big /tmp/up

# the cell destroyed in the middle of an endless transfer
nc $CELL_IP 5002 < /dev/zero &
NC=$!
sleep 3
b0=$(tx)
sleep 2
check "the endless transfer runs ($(($(tx) - b0)) bytes in 2 s)" test "$(tx)" -gt "$b0" -a -n "$b0"
check "linux-demo: destroyed mid-transfer" jailhouse cell destroy linux-demo
check "ivnet0: carrier down within 10 s" wait_for 10 carrier_is 0
# a peer that is gone is no protocol breaker: the state drop comes first (the hypervisor zeroes
# the state entry before it clears the output section)
check_fails "ivnet0: the destroyed peer is seen leaving, not breaking the ring protocol" \
	sh -c "dmesg | grep -E 'broke the ring protocol|protocol error'"
kill $NC 2>/dev/null
check "the sender ends once killed (not stuck in the driver)" wait_for 10 gone $NC
wait $NC 2>/dev/null
check_fails "ping to the destroyed cell fails quickly" timeout 20 ping -c 2 -W 1 $CELL_IP
check_output "cpu1 and cpu2 back with the root" "^0-3$" cat /sys/devices/system/cpu/online
check "ivnet0: down" ip link set ivnet0 down
check "jailhouse_ivshmem.ko unloads" timeout 30 rmmod jailhouse_ivshmem
check "ivnet0 gone" test ! -e $NETDEV
root_canary_intact "root: canary intact"
check_output "hypervisor memory use back where it began" "^$used0\$" \
	cat /sys/devices/jailhouse/mem_pool_used
check "disable" timeout 60 jailhouse disable
check "module unloads" rmmod jailhouse
