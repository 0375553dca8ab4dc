# Guest-side helpers for system tests (busybox sh). Every check prints one line that the host
# runner (tests/run-system.py) counts: "CHECK-PASS: description" or "CHECK-FAIL: description".

# Each result is also counted in a file (checks in subshells and background jobs included): the
# end marker reports the counts, so the runner notices a result line that a cell writing to the
# same UART garbled, or a line a cell forged.
_jh_count() {
	echo "$1" >> /tmp/.jh-results
}

_jh_pass() {
	echo "CHECK-PASS: $1"
	_jh_count p
}

_jh_fail() {
	echo "CHECK-FAIL: $1"
	_jh_count f
	[ -n "$2" ] && printf '%s\n' "$2" | sed 's/^/  | /'
	return 0
}

# check DESCRIPTION CMD [ARGS...]: passes if CMD exits 0.
check() {
	_jh_desc=$1; shift
	if _jh_out=$("$@" 2>&1); then _jh_pass "$_jh_desc"; else _jh_fail "$_jh_desc" "exit $?: $_jh_out"; fi
}

# check_fails DESCRIPTION CMD [ARGS...]: passes if CMD exits non-zero.
check_fails() {
	_jh_desc=$1; shift
	if _jh_out=$("$@" 2>&1); then _jh_fail "$_jh_desc" "unexpected success: $_jh_out"; else _jh_pass "$_jh_desc"; fi
}

# check_output DESCRIPTION REGEX CMD [ARGS...]: passes if CMD exits 0 and its output (stdout and
# stderr) matches the extended regular expression.
check_output() {
	_jh_desc=$1; _jh_re=$2; shift 2
	if _jh_out=$("$@" 2>&1) && printf '%s\n' "$_jh_out" | grep -Eq -- "$_jh_re"; then
		_jh_pass "$_jh_desc"
	else
		_jh_fail "$_jh_desc" "expected /$_jh_re/, got: $_jh_out"
	fi
}

# check_fails_with DESCRIPTION REGEX CMD [ARGS...]: passes if CMD exits non-zero and its output
# matches the extended regular expression (the error a user would read).
check_fails_with() {
	_jh_desc=$1; _jh_re=$2; shift 2
	if _jh_out=$("$@" 2>&1); then
		_jh_fail "$_jh_desc" "unexpected success: $_jh_out"
	elif printf '%s\n' "$_jh_out" | grep -Eq -- "$_jh_re"; then
		_jh_pass "$_jh_desc"
	else
		_jh_fail "$_jh_desc" "expected /$_jh_re/, got: $_jh_out"
	fi
}

# check_dmesg DESCRIPTION REGEX: passes if the kernel log matches.
check_dmesg() {
	check_output "$1" "$2" dmesg
}

# iomem_covers START END NAME: a top-level /proc/iomem entry NAME covers [START, END] (hex).
iomem_covers() {
	grep -v '^ ' /proc/iomem | while IFS=' :-' read -r lo hi name; do
		[ "$(echo $name)" = "$3" ] && [ $((0x$lo)) -le $((0x$1)) ] && [ $((0x$hi)) -ge $((0x$2)) ] &&
			exit 7
	done
	[ $? -eq 7 ]
}

# The hypervisor console since mark_console, read through `jailhouse console` (its ring holds the
# last 16 KiB; a test that follows the console itself redefines new_console).
mark_console() { MARK=$(jailhouse console | wc -l); }
new_console() { jailhouse console | tail -n +$((MARK + 1)); }

# wait_console REGEX: up to 10 s for it in new_console's output.
wait_console() {
	_jh_i=0
	while [ $_jh_i -lt 100 ]; do
		new_console | grep -Eq -- "$1" && return 0
		sleep 0.1
		_jh_i=$((_jh_i + 1))
	done
	return 1
}

# info TEXT: a figure or fact the runner prints (never judged).
info() {
	echo "INFO: $*"
}

# Hostile-cell tests: the root's canary (8 MiB of random data whose checksum must survive every
# attack), the whole hypervisor console in order from a follower (the ring itself is only 16
# KiB; CONSOLE_PID is the follower), and the root's speed (seconds for 100 commands; the
# follower is paused meanwhile: copying a console flood is root work the flood causes by
# design, not starvation, and it catches up from the ring afterwards).
root_canary_write() {
	check "root canary: 8 MiB written" sh -c "dd if=/dev/urandom of=/tmp/root-canary bs=1M \
		count=8 2>/dev/null && md5sum /tmp/root-canary > /tmp/root-canary.md5"
}

root_canary_intact() {	# DESCRIPTION
	check "$1" md5sum -c -s /tmp/root-canary.md5
}

console_follow() {
	jailhouse console -f > /tmp/hvcon 2>&1 &
	CONSOLE_PID=$!
}

root_work() {
	kill -STOP $CONSOLE_PID
	t0=$(cut -d' ' -f1 /proc/uptime)
	i=0
	while [ $i -lt 100 ]; do cat /proc/uptime > /dev/null; i=$((i + 1)); done
	t1=$(cut -d' ' -f1 /proc/uptime)
	kill -CONT $CONSOLE_PID
	echo "$t0 $t1" | awk '{ printf "%.2f", $2 - $1 }'
}

# Configuration blobs: read and patch little-endian u32 fields, reseal the CRC-32 (zlib, over
# the blob with its crc32 field, bytes 12-15, taken as zero; printed in two halves because
# busybox awk's printf clamps to 31 bits).
blob_peek32() {	# FILE OFFSET
	od -An -tu4 -j "$2" -N 4 "$1" | tr -d ' '
}

blob_poke32() {	# FILE OFFSET VALUE
	printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $(($3 & 255)) $((($3 >> 8) & 255)) \
		$((($3 >> 16) & 255)) $((($3 >> 24) & 255)))" |
		dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

blob_crc32() {	# FILE
	od -An -v -tu1 "$1" | awk '
	BEGIN { for (i = 0; i < 256; i++) { c = i
			for (k = 0; k < 8; k++) c = and(c, 1) ? xor(rshift(c, 1), 3988292384) : rshift(c, 1)
			t[i] = c }
		crc = 4294967295; n = 0 }
	{ for (i = 1; i <= NF; i++) { b = (n >= 12 && n < 16) ? 0 : $i
		crc = xor(t[and(xor(crc, b), 255)], rshift(crc, 8)); n++ } }
	END { crc = xor(crc, 4294967295); printf "%d %d\n", int(crc / 65536), crc % 65536 }' |
	{ read hi lo; echo $((hi * 65536 + lo)); }
}

blob_reseal() {	# FILE
	blob_poke32 "$1" 12 "$(blob_crc32 "$1")"
}

# Linux in a cell (tests with `# linux: yes`): Debian's arm64 Image and the cell initramfs
# (tests/guest/cell-init, its scenario chosen by cell.mode=) booted by `jailhouse cell linux`
# in linux-demo (cpu1 + cpu2, console: the board's pci-serial, the host's NAME.cell.log).
LINUX=/usr/share/jailhouse/linux
LINUX_CELL=${LINUX_CELL:-/etc/jailhouse/linux-demo.cell}
LINUX_CMDLINE="console=ttyS0 cma=0 rdinit=/init"

linux_cell_boot() {	# MODE [MORE KERNEL ARGUMENTS]: create (if needed), load and start
	jailhouse cell linux "$LINUX_CELL" $LINUX/Image -i $LINUX/initramfs.cpio \
		-c "$LINUX_CMDLINE cell.mode=$1 $2"
}

cell_state_of() {	# NAME: its state in `jailhouse cell list` ("running", "shut down" ...)
	jailhouse cell list | awk -v n="$1" '$2 == n { s = $3; if ($4 == "down") s = s " " $4;
		print s }'
}

wait_cell_state() {	# NAME STATE SECONDS: until the cell is in STATE, at most SECONDS
	_jh_end=$(($(cut -d. -f1 /proc/uptime) + $3))
	while [ "$(cut -d. -f1 /proc/uptime)" -lt $_jh_end ]; do
		[ "$(cell_state_of "$1")" = "$2" ] && return 0
		sleep 0.5
	done
	return 1
}

# root_load SECONDS: md5sum of 8 MiB over and over in the root for SECONDS; prints
# "rounds errors" (a sum that ever differs counts as an error)
root_load() {
	dd if=/dev/urandom of=/tmp/root-load bs=1M count=8 2>/dev/null
	_jh_sum=$(md5sum < /tmp/root-load)
	_jh_end=$(($(cut -d. -f1 /proc/uptime) + $1))
	_jh_n=0; _jh_err=0
	while [ "$(cut -d. -f1 /proc/uptime)" -lt $_jh_end ]; do
		[ "$(md5sum < /tmp/root-load)" = "$_jh_sum" ] || _jh_err=$((_jh_err + 1))
		_jh_n=$((_jh_n + 1))
	done
	rm -f /tmp/root-load
	echo "$_jh_n $_jh_err"
}

# Inter-cell links (ivshmem): the root's ends are PCI functions 110a:4106 on its bus once the
# hypervisor is enabled; the class's low 16 bits name the protocol (ff4000 echo, ff0001 net).
ivshmem_func() {	# CLASS (e.g. 0xff4000): sysfs directory of the root's end of that protocol
	for _jh_d in /sys/bus/pci/devices/*; do
		[ "$(cat $_jh_d/vendor)" = 0x110a ] && [ "$(cat $_jh_d/device)" = 0x4106 ] &&
			[ "$(cat $_jh_d/class)" = "$1" ] && { echo $_jh_d; return 0; }
	done
	return 1
}

ivshmem_count() {	# how many ivshmem functions the root sees
	_jh_n=0
	for _jh_d in /sys/bus/pci/devices/*; do
		[ "$(cat $_jh_d/vendor)$(cat $_jh_d/device)" = 0x110a0x4106 ] && _jh_n=$((_jh_n + 1))
	done
	echo $_jh_n
}

cfg32() {	# SYSFS-DIR OFFSET: a 32-bit word of its configuration space, decimal
	od -An -tu4 -j $(($2)) -N 4 "$1/config" | tr -d ' '
}

# The link's layout from the vendor capability (hv/include/ivshmem.h: at 0x40; state size at
# +4, R/W size +8, output size +0x10, address +0x18): sets L_ADDR L_STATE L_RW L_OUT.
ivshmem_layout() {	# SYSFS-DIR
	L_STATE=$(cfg32 $1 0x44)
	L_RW=$(cfg32 $1 0x48)
	L_OUT=$(cfg32 $1 0x50)
	L_ADDR=$(($(cfg32 $1 0x58) + ($(cfg32 $1 0x5c) << 32)))
}

out_section() {	# PEER: address of its output section (after ivshmem_layout)
	printf '0x%x' $((L_ADDR + L_STATE + L_RW + $1 * L_OUT))
}

mem32() {	# ADDRESS: the 32-bit word there (the root reads link memory through /dev/mem)
	printf '%d' "$(devmem $(printf '0x%x' $(($1))) 32)"
}

peer_state() {	# PEER: its entry in the link's state table (after ivshmem_layout)
	mem32 $((L_ADDR + 4 * $1))
}

gone() {	# PID: the process has ended (a zombie not yet waited for counts as ended)
	[ ! -e /proc/$1/stat ] || [ "$(cut -d')' -f2 /proc/$1/stat 2>/dev/null | cut -c2)" = Z ]
}

wait_for() {	# SECONDS CMD...: until CMD succeeds, at most SECONDS
	_jh_end=$(($(cut -d. -f1 /proc/uptime) + $1)); shift
	while [ "$(cut -d. -f1 /proc/uptime)" -lt $_jh_end ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.2
	done
	return 1
}

gic_demo_reports() {	# the gic-demo cell's latency report lines on the hypervisor console
	jailhouse console | grep -c '^\[gic-demo\] latency ns: '
}

gic_demo_reported() {	# N: at least N of them
	[ "$(gic_demo_reports)" -ge "$1" ]
}

wait_gic_demo_reports() {	# N: up to 20 s for N of them, polled every 0.1 s (tests count exits
	_jh_i=0			# between two reports, ~0.1 s apart)
	while [ $_jh_i -lt 200 ]; do
		gic_demo_reported "$1" && return 0
		sleep 0.1
		_jh_i=$((_jh_i + 1))
	done
	return 1
}
