# A PCI function in a non-root cell (arm64): the pci-serial 00:02.0 (one 16550 behind an
# 8-byte I/O BAR) goes to a cell made from gic-demo.cell (CPU 3) plus the function (BAR0 = port
# 0x1008, where root Linux has 0x1000) and an identity region over its I/O window page
# (0x3eff1000). The cell blobs are patched here, offsets of config ABI revision 3 (configgen's
# PCI rules are tested elsewhere); a system blob without the root's functions or the PCI I/O
# window gets them too. In the cell, pci-cell (inmates/tests/pci-cell.c) scans bus 0 through
# its virtual ECAM window and finds only its function, sizes BAR0 but cannot move it, reads the
# ROM BAR as 0, cannot enable bus mastering, reads all ones elsewhere and 0 in the extended
# space, and drives the UART: a byte in loopback comes back, a line goes out (the rig's
# pci-serial writes it to the cell console). Root Linux lets go of 00:02.0 before create, reads
# all ones there through the trapped ECAM while the cell exists, and finds it again after
# destroy with the BAR it had. Refused: a BAR outside the cell's regions (HV_R_PCI_BAR), a
# function another cell holds (HV_R_PCI_HELD), a bridge (HV_R_PCI_BRIDGE); each leaves the
# function with Linux.
# cell-console: ^pci-cell: hello through pci-serial
# append: iomem=relaxed
# timeout: 300

DEVS=/sys/bus/pci/devices
SER=$DEVS/0000:00:02.0
ECAM=0x4010000000
ECAM_SER=$((ECAM + (0x10 << 12)))
INM=/usr/share/jailhouse/inmates/pci-cell.bin
SYS=/tmp/system.cell
CELL=/tmp/pci-cell.cell

id_of() {	# DEVICE-DIR: "vvvv dddd"
	od -An -tx2 -N4 "$1/config" | tr -s ' ' | sed 's/^ //'
}
cfg() {		# DEVICE-DIR OFFSET COUNT: COUNT bytes at OFFSET through sysfs, as one hex number
	dd if="$1/config" bs=1 skip="$2" count="$3" 2>/dev/null | od -An -tx$3 | tr -d ' '
}
size_of() { wc -c < "$1"; }
console_has() { new_console | grep -Eq -- "$1"; }	# REGEX: in the console since mark_console
blob_poke_hex() {	# FILE OFFSET HEX: the bytes of HEX (two digits each) at OFFSET
	_h=$3; _o=$2
	while [ -n "$_h" ]; do
		_b=${_h%"${_h#??}"}; _h=${_h#??}
		printf "\\$(printf %03o 0x$_b)" | dd of="$1" bs=1 seek=$_o conv=notrunc 2>/dev/null
		_o=$((_o + 1))
	done
}
zeros() { dd if=/dev/zero bs=1 count=$2 2>/dev/null >> "$1"; }
# pci_entry FILE BDF TYPE BAR0: append a struct hvcfg_pci_device (domain 0, no IOMMU)
pci_entry() {
	_at=$(size_of "$1"); zeros "$1" 32
	blob_poke32 "$1" $_at $(($2 << 16))
	blob_poke32 "$1" $((_at + 4)) $(($3 | 0xff00))
	blob_poke32 "$1" $((_at + 8)) $4
}
# Offsets: header total_size 8, crc 12, cell digest 16; system: platform 80 (ECAM at 80),
# arm platform 96 (pci_io_base at 208, size 216), root descriptor 352; a cell's descriptor at
# 48. In a descriptor: num_mem_regions +40, num_pci_devices +52, mem_regions_offset +60,
# pci_devices_offset +72.
make_system() {
	cp /etc/jailhouse/system.cell $SYS
	# configgen's system blob has them already (the board's functions and the I/O window)
	[ "$(blob_peek32 $SYS $((352 + 52)))" != 0 ] && [ "$(blob_peek32 $SYS 208)" != 0 ] && return 0
	blob_poke32 $SYS 208 $((0x3eff0000)); blob_poke32 $SYS 216 $((0x10000))
	blob_poke32 $SYS $((352 + 72)) $(size_of $SYS)
	n=0
	for d in $DEVS/0000:00:*; do
		b=${d##*:00:}; dev=${b%.*}; fn=${b#*.}
		type=1; [ $(( 0x$(cfg $d 14 1) & 0x7f )) -ne 0 ] && type=2
		pci_entry $SYS $(( (0x$dev << 3) | fn )) $type 0
		n=$((n + 1))
	done
	blob_poke32 $SYS $((352 + 52)) $n
	blob_poke32 $SYS 8 $(size_of $SYS)
	blob_reseal $SYS
}
# make_cell FROM TO NAME8 BDF TYPE BAR0 [IO-REGION]: FROM with the function and, if asked, the
# identity region over the I/O window page of port 0x1000, sealed for $SYS
make_cell() {
	cp "$1" "$2"
	printf '%s' "$3" | dd of="$2" bs=1 seek=48 conv=notrunc 2>/dev/null
	if [ -n "$7" ]; then
		nmem=$(blob_peek32 "$2" 88); moff=$(blob_peek32 "$2" 108); at=$(size_of "$2")
		dd if="$1" bs=1 skip=$moff count=$((nmem * 32)) 2>/dev/null >> "$2"
		r=$(size_of "$2"); zeros "$2" 32
		blob_poke32 "$2" $r $((0x3eff1000)); blob_poke32 "$2" $((r + 8)) $((0x3eff1000))
		blob_poke32 "$2" $((r + 16)) 4096; blob_poke32 "$2" $((r + 24)) 11	# rw, I/O
		blob_poke32 "$2" 88 $((nmem + 1)); blob_poke32 "$2" 108 $at
	fi
	blob_poke32 "$2" 120 $(size_of "$2")
	pci_entry "$2" $4 $5 $6
	blob_poke32 "$2" 100 1
	blob_poke32 "$2" 8 $(size_of "$2")
	blob_poke_hex "$2" 16 "$(sha256sum $SYS | cut -c1-64)"
	blob_reseal "$2"
}

check_output "the pci-serial is there (00:02.0, 1b36:0002)" "^1b36 0002$" id_of $SER
check "... and root Linux drives it" test -e $SER/driver
BAR0=$(cfg $SER 16 4)
check_output "... at port 0x1000 (the cell gets 0x1008)" "^00001001$" echo $BAR0
info "root's BAR0 of 00:02.0: $BAR0; functions: $(ls $DEVS | tr '\n' ' ')"
check_output "the ECAM window reads its ids before enable" "^0x00021[Bb]36$" devmem $ECAM_SER 32
HOSTID=$(devmem $ECAM 32)
check "system blob with the PCI I/O window and the root's functions" make_system
info "root's functions in the system blob: $(blob_peek32 $SYS $((352 + 52)))"
check "patched cell blob (gic-demo + 00:02.0, BAR0 port 0x1008, not the root's)" \
	make_cell /etc/jailhouse/gic-demo.cell $CELL pci-cell 16 1 $((0x1009)) io
check "module loads" insmod /lib/modules/jailhouse.ko
check "enable with the patched system blob" jailhouse enable $SYS
mark_console
check_output "the root reads 00:02.0 through the trapped ECAM" "^1b36 0002$" id_of $SER
check_output "... and the host bridge (devmem)" "^$HOSTID$" devmem $ECAM 32
check_output "... 16-bit" "^0x0002$" devmem $((ECAM_SER + 2)) 16
check_output "... 8-bit" "^0x36$" devmem $ECAM_SER 8
check_fails "no warning for the root's own functions" \
	console_has 'PCI ECAM .* of 00:02.0'

check "create pci-cell (takes 00:02.0)" jailhouse cell create $CELL
check_dmesg "root Linux let go of 00:02.0" "PCI 0000:00:02.0 leaves Linux for cell \"pci-cell\""
check_fails "... its sysfs entry is gone" test -e $SER
check_output "the root reads all ones at 00:02.0 (ECAM)" "^0x[Ff]{8}$" devmem $ECAM_SER 32
check "the root's write there is dropped" devmem $((ECAM_SER + 4)) 16 0x0004
check "... with a warning" \
	wait_console 'Cell "root-linux": CPU [0-9]: PCI ECAM write of 00:02.0 register 0x4 refused'
check_output "the host bridge still reads" "^$HOSTID$" devmem $ECAM 32
check "load pci-cell" jailhouse cell load pci-cell $INM -s "con=hvc" -a 0x1000
check "start it" jailhouse cell start pci-cell
check "the cell finished its probes" wait_console '^\[pci-cell\] pci-cell: done'
out=$(new_console | grep '^\[pci-cell\]')
info "$out"
c() { echo "$out" | grep -q "pci-cell: $1\$"; }
check "the cell's bus 0 has exactly its function" c "found 00:02.0 00021b36"
check "... one" c "functions 1"
check "ids in 32-, 8- and 16-bit reads" c "id 00021b36 vendor8 36 device16 0002"
check "BAR0: the configured port 0x1008, I/O" c "bar0 00001009"
check "BAR0 sizes as 8 I/O ports" c "bar0 size fffffff9"
check "BAR0 cannot be moved" c "bar0 moved 00001009"
check "the ROM BAR reads 0" c "rom 00000000"
check "bus mastering stays off, I/O decoding on" c "command 0001"
check "the extended space reads 0" c "ext 00000000"
check "the root's host bridge reads all ones in the cell" c "host bridge ffffffff"
check "... and so does the last register of 00:1f.7" c "last ffffffff"
check "the UART behind the BAR answers (loopback byte)" c "loopback ok"
check "... and sends its line" c "line sent, lsr 60"
check_output "the cell's state" "^running$" cat /sys/devices/jailhouse/cells/1/state
check_output "the root still works" "^ok$" echo ok

make_cell /etc/jailhouse/smp-demo.cell /tmp/held.cell xmp-demo 16 1 0
check_fails_with "a second cell with 00:02.0: EADDRINUSE" "held by another cell" \
	jailhouse cell create /tmp/held.cell
check_output "... console says why" "refused \(-98\): PCI 0000:00:02.0: held by cell 1" \
	jailhouse console

check "shut pci-cell down and restart it reading bus 1, beyond its window" sh -c \
	"jailhouse cell load pci-cell $INM -s 'con=hvc beyond=1' -a 0x1000 &&
	 jailhouse cell start pci-cell"
check "... the hypervisor failed the cell on it" wait_console 'Cell "pci-cell" FAILED'
check "... an access outside the cell at 0x4010100000" \
	console_has 'Unhandled data read at 0x4010100000'
check_fails "... before reading anything" console_has 'bus 1 read'
check_output "... its state" "^failed$" cat /sys/devices/jailhouse/cells/1/state
check_output "the root still reads the host bridge" "^$HOSTID$" devmem $ECAM 32
check "destroy pci-cell" jailhouse cell destroy pci-cell
check "the rescan found 00:02.0 again" test -e $SER
check_output "... with its ids" "^1b36 0002$" id_of $SER
check_output "... and the BAR0 the root had" "^$BAR0$" cfg $SER 16 4
check "... root Linux drives it again" test -e $SER/driver
POOL=$(cat /sys/devices/jailhouse/mem_pool_used)

make_cell /etc/jailhouse/gic-demo.cell /tmp/bar.cell pci-cell 16 1 $((0x2001)) io
check_fails_with "BAR0 at port 0x2000, outside the cell's regions: ERANGE" "BAR of a PCI function" \
	jailhouse cell create /tmp/bar.cell
check_output "... console says why" "refused \(-34\): PCI 00:02.0: BAR0 0x2001" jailhouse console
check "... and 00:02.0 is back with root Linux" test -e $SER/driver
make_cell /etc/jailhouse/gic-demo.cell /tmp/bridge.cell pci-cell 16 2 0
check_fails_with "the function as a bridge: EOPNOTSUPP" "bridge" \
	jailhouse cell create /tmp/bridge.cell
check "... 00:02.0 is back with root Linux" test -e $SER/driver
check_output "the refusals left the pool as it was" "^$POOL$" \
	cat /sys/devices/jailhouse/mem_pool_used

check "create pci-cell again" jailhouse cell create $CELL
check_fails "... 00:02.0 leaves again" test -e $SER
check "destroy it" jailhouse cell destroy pci-cell
check "... and it is back" test -e $SER/driver
check "disable" jailhouse disable
check_output "the ECAM window reads the ids after disable" "^0x00021[Bb]36$" devmem $ECAM_SER 32
check "module unloads" rmmod jailhouse
