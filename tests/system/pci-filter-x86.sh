# The x86 PCI configuration-space filter: mechanism #1 (0xcf8/0xcfc) is emulated for the root
# and its MMCONFIG window trapped; the root reads its functions' configuration space through
# both and gets what it read before enable: sysfs (Linux reads registers 0-255 through the
# emulated latch and 0xcfc-0xcff, in 32-, 16- and 8-bit accesses as the offsets ask; q35's
# functions have no extended space) and busybox devmem on the MMCONFIG window (iomem=relaxed lets
# /dev/mem map it; the hypervisor decodes devmem's 8-, 16- and 32-bit moves). /dev/port makes
# byte accesses: 0xcf9 reads through, a byte at 0xcf8 is no latch access (refused). pci-demo takes the SMBus controller 00:1f.3 (no driver in the root):
# while it exists the root reads all ones there, through sysfs and the raw ports, with a warning
# on the hypervisor console; after destroy the real ids come back. 0xcf9 (reset control, inside
# the range) stays the root's. A cell's own byte access to 0xcf8/0xcf9 failing the cell is
# hostile-cells-x86's.
# arch: x86
# append: iomem=relaxed
# timeout: 240

DEVS=/sys/bus/pci/devices
SMBUS=$DEVS/0000:00:1f.3
MMCFG_SMBUS=0xb00fb000	# 0xb0000000 + (bus << 20 | device << 15 | function << 12)
MMCFG_HOST=0xb0000000

id_of() {	# id_of DEVICE-DIR: vendor and device id from the configuration space, as "vvvv dddd"
	od -An -tx2 -N4 "$1/config" | tr -s ' ' | sed 's/^ //'
}
cfg() {	# cfg DEVICE-DIR OFFSET COUNT: COUNT bytes at OFFSET through sysfs, as one hex number
	dd if="$1/config" bs=1 skip="$2" count="$3" 2>/dev/null | od -An -tx$3 | tr -d ' '
}
port() {	# port PORT: a byte through /dev/port
	dd if=/dev/port bs=1 skip=$(($1)) count=1 2>/dev/null | od -An -tx1 | tr -d ' '
}
ids_all() {	# "BDF vvvv dddd cccccc" of every function, read through configuration space
	for d in $DEVS/*; do
		echo "${d##*/} $(id_of "$d") $(od -An -tx4 -j8 -N4 "$d/config" | tr -d ' ')"
	done
}

check "module loads" insmod /lib/modules/jailhouse.ko
check_output "the SMBus controller is there (00:1f.3, Intel)" "^8086 2930$" id_of $SMBUS
check_fails "... and the root's Linux does not drive it" test -e $SMBUS/driver
BEFORE=$(ids_all)
info "functions before enable: $(echo $BEFORE)"
check_output "MMCONFIG reads the SMBus ids before enable" "^0x29308086$" devmem $MMCFG_SMBUS 32
HOSTID=$(devmem $MMCFG_HOST 32)
CMD=$(cfg $SMBUS 4 2)

check "enable" jailhouse enable /etc/jailhouse/system.cell
mark_console
AFTER=$(ids_all)
check "the root reads every function's ids and class as before (0xcf8/0xcfc)" \
	test "$AFTER" = "$BEFORE"
check "the root reads every function's whole configuration space" \
	sh -c "for d in $DEVS/*; do cat \$d/config > /dev/null || exit 1; done"
check_output "MMCONFIG: the SMBus ids (32-bit)" "^0x29308086$" devmem $MMCFG_SMBUS 32
check_output "MMCONFIG: 16-bit" "^0x2930$" devmem $((MMCFG_SMBUS + 2)) 16
check_output "MMCONFIG: 8-bit" "^0x86$" devmem $MMCFG_SMBUS 8
check_output "MMCONFIG: the host bridge's ids" "^$HOSTID$" devmem $MMCFG_HOST 32
check_output "MMCONFIG: a function nobody has (00:1e.0) reads all ones" "^0x[Ff]{8}$" \
	devmem 0xb00f0000 32
check_output "mechanism #1: 32-bit data at 0xcfc" "^29308086$" cfg $SMBUS 0 4
check_output "mechanism #1: 16-bit data at 0xcfe" "^2930$" cfg $SMBUS 2 2
check_output "mechanism #1: 8-bit data at 0xcfd" "^80$" cfg $SMBUS 1 1
check_output "0xcf9 (reset control) is the root's: it reads" "^[0-9a-f]{2}$" port 0xcf9
check_output "a byte at 0xcf8 is no latch access: all ones" "^ff$" port 0xcf8
check "... with a warning" wait_console 'Cell "root-linux": CPU [0-9]: read of port 0xcf8 refused'
check_fails "... and none for 0xcf9" sh -c "new_console | grep 'port 0xcf9'"
check_fails "no PCI warning for the root's own functions" \
	sh -c "new_console | grep -E 'PCI (config|MMCONFIG) .* of 00:1f.3'"
check_output "the root still works" "^ok$" echo ok

check "create pci-demo (takes 00:1f.3)" jailhouse cell create /etc/jailhouse/pci-demo.cell
check_output "... listed" "pci-demo" jailhouse cell list
check_output "the root's configuration read of 00:1f.3 now returns all ones (sysfs)" \
	"^ffff ffff$" id_of $SMBUS
check_output "... 16-bit reads too" "^ffff$" cfg $SMBUS 2 2
check_output "... and 8-bit reads" "^ff$" cfg $SMBUS 1 1
check "the root's write to 00:1f.3 is dropped" sh -c \
	"printf '\\377\\377' | dd of=$SMBUS/config bs=1 seek=4 count=2 conv=notrunc 2>/dev/null; true"
check "the other functions still read as before" sh -c \
	"for d in $DEVS/*; do [ \${d##*/} = 0000:00:1f.3 ] && continue
	 echo \"\$(od -An -tx2 -N4 \$d/config)\" | grep -q ffff && exit 1; done; exit 0"
check_output "... and through MMCONFIG" "^0x[Ff]{8}$" devmem $MMCFG_SMBUS 32
check "the root's MMCONFIG write to 00:1f.3 is dropped" devmem $((MMCFG_SMBUS + 4)) 16 0xffff
check_output "the host bridge still reads through MMCONFIG" "^$HOSTID$" devmem $MMCFG_HOST 32
check "the hypervisor console says the root's access was refused" \
	wait_console 'Cell "root-linux": CPU [0-9]: PCI config (read|write) of 00:1f.3 register 0x[0-9a-f]+ refused'
check "... and the MMCONFIG write" \
	wait_console 'Cell "root-linux": CPU [0-9]: PCI MMCONFIG write of 00:1f.3 register 0x4 refused'
check_output "the root still works" "^ok$" echo ok

check "destroy pci-demo" jailhouse cell destroy pci-demo
check_output "the root reads 00:1f.3's real ids again (sysfs)" "^8086 2930$" id_of $SMBUS
check_output "... 8-bit reads too" "^80$" cfg $SMBUS 1 1
check_output "... and through MMCONFIG" "^0x29308086$" devmem $MMCFG_SMBUS 32
check "every function reads as before enable" test "$(ids_all)" = "$BEFORE"
check_output "the root's dropped write never reached 00:1f.3 (command register unchanged)" \
	"^$CMD$" cfg $SMBUS 4 2
check "create pci-demo again" jailhouse cell create /etc/jailhouse/pci-demo.cell
check_output "... 00:1f.3 leaves the root again" "^ffff ffff$" id_of $SMBUS
check "destroy it" jailhouse cell destroy pci-demo
check_output "... and comes back" "^8086 2930$" id_of $SMBUS

check "disable" jailhouse disable
check "every function reads as before after disable" test "$(ids_all)" = "$BEFORE"
check_output "MMCONFIG reads the SMBus ids after disable" "^0x29308086$" devmem $MMCFG_SMBUS 32
check "module unloads" rmmod jailhouse
