# Hostile Linux peer on the "net" link: Debian's kernel in linux-demo (peer 1) brings up its
# ivnet0 like tests/system/ivshmem-net.sh, then attacks the root's ivnet0 and the link from a
# root shell in the cell (its own init, hn.action= on its command line, appended to the cell
# initramfs as a second cpio archive):
# - garbage: overwrites its own output section (the ring the root reads: header and frames)
#   with all ones and then with a pattern, repeatedly: the root's driver must take it as a
#   broken peer (new session), never crash, hang or read outside the section.
# - flood: rings the root's doorbell from a busy loop: the root stays responsive.
# - rooto: writes into the root's output section (read-only for it): the cell ends FAILED on
#   that address, the root sees the peer gone (carrier down).
# After each: no oops or warning in the root, the root's canary intact, the cell destroyed in
# bounded time, the root's ivnet0 without carrier; at the end the driver unloads and the
# memory pool is back where it began.
# linux: yes
# timeout: 600
# append: iomem=relaxed
# cell-console: HOSTILE garbage: up
# cell-console: HOSTILE garbage: written
# cell-console: HOSTILE flood: up
# cell-console: HOSTILE rooto: up

CELL_IP=10.0.18.2
NETDEV=/sys/class/net/ivnet0
BOUND=5

now() { cut -d' ' -f1 /proc/uptime; }
carrier_is() { [ "$(cat $NETDEV/carrier 2>/dev/null)" = "$1" ]; }
root_clean() {	# WHAT: the root's kernel took no oops, warning or bad access
	check "$1: root kernel clean (no oops/warning/BUG)" sh -c "! dmesg | grep -Eq \
		'Oops|WARNING:|BUG:|Unable to handle|Internal error|Call trace|kernel NULL'"
}

write_cell_init() {
	mkdir -p /tmp/hn
	cat > /tmp/hn/hostile-init <<'EOF'
#!/bin/busybox sh
/bin/busybox mkdir -p /proc /sys /dev /tmp
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t devtmpfs devtmpfs /dev
/bin/busybox --install -s /bin
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
A=$(tr ' ' '\n' < /proc/cmdline | sed -n 's/^hn\.action=//p' | tail -1)
say() { echo "HOSTILE $A: $*"; }
cfg32() { od -An -tu4 -j $(($2)) -N 4 "$1/config" | tr -d ' '; }
insmod /lib/modules/jailhouse_ivshmem.ko || say "insmod failed"
i=0
while [ ! -e /sys/class/net/ivnet0 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
ip link set lo up
ip addr add 10.0.18.2/24 dev ivnet0 && ip link set ivnet0 up || say "no ivnet0"
i=0
while [ "$(cat /sys/class/net/ivnet0/carrier 2>/dev/null)" != 1 ] && [ $i -lt 600 ]; do
	sleep 0.1; i=$((i + 1))
done
for d in /sys/bus/pci/devices/*; do
	[ "$(cat $d/vendor)$(cat $d/device)$(cat $d/class)" = 0x110a0x41060xff0001 ] && FN=$d
done
SHM=$(($(cfg32 $FN 0x58) + ($(cfg32 $FN 0x5c) << 32)))
OUT=$(cfg32 $FN 0x50)
OUT0=$((SHM + $(cfg32 $FN 0x44) + $(cfg32 $FN 0x48)))
REGS=$(printf '%d' "$(head -1 $FN/resource | cut -d' ' -f1)")
ID=$(devmem $REGS 32)
say "up carrier=$(cat /sys/class/net/ivnet0/carrier) id=$ID shm=$(printf 0x%x $SHM) out=$OUT"
sleep 3
case $A in
garbage)
	MINE=$((OUT0 + ID * OUT))
	for round in 1 2; do
		for pat in 0xffffffff 0x7ffff000; do
			o=0
			while [ $o -lt 128 ]; do devmem $((MINE + o)) 32 $pat; o=$((o + 4)); done
			o=$((OUT - 64))
			while [ $o -lt $OUT ]; do devmem $((MINE + o)) 32 $pat; o=$((o + 4)); done
			devmem $((REGS + 12)) 32 0	# the root: look at it
			sleep 1
		done
	done
	say "written"
	while :; do sleep 10; done ;;
flood)
	while :; do devmem $((REGS + 12)) 32 0; done ;;
rooto)
	say "writing the root's output section at $(printf 0x%x $OUT0)"
	sleep 1
	devmem $OUT0 32 0xdeadbeef
	say "BREACH: the write returned"
	while :; do sleep 10; done ;;
esac
say "unknown action"
poweroff -f
EOF
	chmod 755 /tmp/hn/hostile-init
	(cd /tmp/hn && echo hostile-init | cpio -o -H newc > /tmp/hn.cpio 2>/dev/null) &&
		cat $LINUX/initramfs.cpio /tmp/hn.cpio > /tmp/hostile-net.cpio
}

boot() {	# ACTION: linux-demo with the attacker's init, the root's ivnet0 up with it
	check "$1: cell linux boots the attacker" jailhouse cell linux $LINUX_CELL $LINUX/Image \
		-i /tmp/hostile-net.cpio \
		-c "console=ttyS0 cma=0 rdinit=/hostile-init iomem=relaxed hn.action=$1"
	check "$1: carrier up with the cell's driver" wait_for 180 carrier_is 1
	check "$1: the cell answers ping" wait_for 30 ping -c 1 -W 2 $CELL_IP
}

aftermath() {	# WHAT: root unharmed, the cell destroyed in bounded time, carrier down
	root_clean "$1"
	root_canary_intact "$1: root canary intact"
	t0=$(now)
	check "$1: destroy" jailhouse cell destroy linux-demo
	d=$(echo "$t0 $(now)" | awk '{ printf "%.2f", $2 - $1 }')
	check "$1: destroy within $BOUND s ($d s)" awk "BEGIN { exit !($d < $BOUND) }"
	check "$1: carrier down" wait_for 10 carrier_is 0
	check "$1: root's ivnet0 still configurable" ip link set ivnet0 down
	check "$1: ... and up again" ip link set ivnet0 up
}

check "module loads" insmod /lib/modules/jailhouse.ko
check "enable" jailhouse enable /etc/jailhouse/system.cell
check "jailhouse_ivshmem.ko loads" insmod /lib/modules/jailhouse_ivshmem.ko
check "ivnet0 appears" wait_for 10 test -e $NETDEV
check "ivnet0: address and up" sh -c "ip addr add 10.0.18.1/24 dev ivnet0 && ip link set ivnet0 up"
root_canary_write
console_follow
check "the attacker's init (a second cpio archive after the cell initramfs)" write_cell_init
used0=$(cat /sys/devices/jailhouse/mem_pool_used)

# garbage in the ring the root reads
boot garbage
check "garbage: the cell writes its ring full of garbage (30 s)" sleep 30
info "garbage: root ivnet0 carrier $(cat $NETDEV/carrier), rx $(cat $NETDEV/statistics/rx_packets)," \
	"$(dmesg | grep -c 'broke the ring protocol') 'broke the ring protocol' warnings"
check "garbage: the root still pings something or reports the peer broken, without hanging" \
	timeout 20 sh -c "ping -c 3 -W 2 $CELL_IP > /dev/null; true"
aftermath garbage

# doorbell flood from a Linux busy loop
before=$(root_work)
boot flood
sleep 5
during=$(root_work)
info "flood: root 100 commands in $before s before, $during s during"
check "flood: root responsive (within 15x before + 10 s)" \
	awk "BEGIN { exit !($during <= 15 * $before + 10) }"
aftermath flood

# a write into the root's output section
mark_console() { MARK=$(wc -c < /tmp/hvcon); }
new_console() { tail -c +$((MARK + 1)) /tmp/hvcon; }
mark_console
boot rooto
check "rooto: the cell ends FAILED" wait_cell_state linux-demo failed 60
check "rooto: the hypervisor names the write in the root's output section" \
	wait_console 'FATAL: .*\(cell "linux-demo"\)'
check "rooto: the root's carrier drops" wait_for 10 carrier_is 0
aftermath rooto

kill $CONSOLE_PID 2>/dev/null
check_output "memory pool back to where it began ($used0)" "^$used0$" cat /sys/devices/jailhouse/mem_pool_used
check "driver unloads" rmmod jailhouse_ivshmem
check "disable" jailhouse disable
check "module unloads" rmmod jailhouse
root_clean "end"
