# The x86 PCI configuration-space filter: mechanism #1 (0xcf8/0xcfc) is emulated for the root
# and its MMCONFIG window trapped; the root reads its functions' configuration space through
# both and gets what it read before enable: sysfs (Linux reads registers 0-255 through the
# emulated latch and 0xcfc-0xcff, in 32-, 16- and 8-bit accesses as the offsets ask; q35's
# functions have no extended space) and busybox devmem on the MMCONFIG window (iomem=relaxed lets
# /dev/mem map it; the hypervisor decodes devmem's 8-, 16- and 32-bit moves). /dev/port makes
# byte accesses: 0xcf9 reads through, a byte at 0xcf8 is no latch access (refused). pci-demo takes the SMBus controller 00:1f.3 (no driver in the root):
# while it exists the root reads all ones there (MMCONFIG), with a warning
# on the hypervisor console; after destroy the real ids come back. pci-demo itself runs pci-probe
# (a real-mode image, source at the end): through the emulated mechanism #1 it reads its own
# function and all ones for the LPC bridge 00:1f.0, which is not its own. 0xcf9 (reset control, inside
# the range) stays the root's. A cell's own byte access to 0xcf8/0xcf9 failing the cell is
# hostile-cells-x86's.
# arch: x86
# append: iomem=relaxed
# timeout: 240

DEVS=/sys/bus/pci/devices
PCI_PROBE=''
PCI_PROBE="$PCI_PROBE"'\372\353\075\000\000\373\000\200\000\370\000\200\000\000\000\000\000\000\000\000\000\000\000\000'
PCI_PROBE="$PCI_PROBE"'\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000'
PCI_PROBE="$PCI_PROBE"'\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\061\300\216\330\216\320\274\000'
PCI_PROBE="$PCI_PROBE"'\200\276\306\000\350\117\000\146\241\004\000\350\027\000\276\322\000\350\102\000\146\241\010\000'
PCI_PROBE="$PCI_PROBE"'\350\012\000\276\326\000\350\065\000\372\364\353\374\272\370\014\146\357\146\355\146\211\303\350'
PCI_PROBE="$PCI_PROBE"'\057\000\276\324\000\350\036\000\272\374\014\146\355\146\211\303\350\036\000\303\146\140\146\017'
PCI_PROBE="$PCI_PROBE"'\266\370\146\270\010\000\000\000\017\001\331\146\141\303\254\204\300\164\005\350\346\377\353\366'
PCI_PROBE="$PCI_PROBE"'\303\146\140\271\010\000\146\301\303\004\210\330\044\017\004\060\074\071\166\002\004\007\350\313'
PCI_PROBE="$PCI_PROBE"'\377\342\353\146\141\303\160\143\151\055\160\162\157\142\145\072\040\000\040\000\075\000\012\000'
SMBUS=$DEVS/0000:00:1f.3
MMCFG_SMBUS=0xb00fb000	# 0xb0000000 + (bus << 20 | device << 15 | function << 12)
MMCFG_HOST=0xb0000000

id_of() {	# id_of DEVICE-DIR: vendor and device id from the configuration space, as "vvvv dddd"
	od -An -tx2 -N4 "$1/config" | tr -s ' ' | sed 's/^ //'
}
cfg() {	# cfg DEVICE-DIR OFFSET COUNT: COUNT bytes at OFFSET through sysfs, as one hex number
	dd if="$1/config" bs=1 skip="$2" count="$3" 2>/dev/null | od -An -tx$3 | tr -d ' '
}
console_has() { new_console | grep -Eq -- "$1"; }	# REGEX: in the console since mark_console
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
check_fails "... and none for 0xcf9" console_has 'port 0xcf9'
check_fails "no PCI warning for the root's own functions" \
	console_has 'PCI (config|MMCONFIG) .* of 00:1f.3'
check_output "the root still works" "^ok$" echo ok

check "create pci-demo (takes 00:1f.3)" jailhouse cell create /etc/jailhouse/pci-demo.cell
check_output "... listed" "pci-demo" jailhouse cell list
printf "$PCI_PROBE" > /tmp/pci-probe.bin
check "load and start pci-probe in pci-demo" sh -c "jailhouse cell load pci-demo /tmp/pci-probe.bin \
	&& jailhouse cell start pci-demo"
check "pci-demo reads its own 00:1f.3 through mechanism #1, all ones for 00:1f.0" \
	wait_console "pci-probe: 8000FB00=29308086 8000F800=FFFFFFFF"
check "... with a warning for 00:1f.0" \
	wait_console 'Cell "pci-demo": CPU 3: PCI config read of 00:1f.0 register 0x0 refused'
check_output "... and pci-demo is still running" "^running$" cat /sys/devices/jailhouse/cells/1/state
check_fails "root Linux let go of 00:1f.3 before create (no sysfs entry)" test -e $SMBUS
check_dmesg "... the driver says so" "PCI 0000:00:1f.3 leaves Linux for cell \"pci-demo\""
check "the other functions still read as before" sh -c \
	"for d in $DEVS/*; do [ \${d##*/} = 0000:00:1f.3 ] && continue
	 echo \"\$(od -An -tx2 -N4 \$d/config)\" | grep -q ffff && exit 1; done; exit 0"
check_output "... and through MMCONFIG" "^0x[Ff]{8}$" devmem $MMCFG_SMBUS 32
check "the root's MMCONFIG write to 00:1f.3 is dropped" devmem $((MMCFG_SMBUS + 4)) 16 0xffff
check_output "the host bridge still reads through MMCONFIG" "^$HOSTID$" devmem $MMCFG_HOST 32
check "the hypervisor console says the root's MMCONFIG write was refused" \
	wait_console 'Cell "root-linux": CPU [0-9]: PCI MMCONFIG write of 00:1f.3 register 0x4 refused'
check_output "the root still works" "^ok$" echo ok

check "destroy pci-demo" jailhouse cell destroy pci-demo
check_output "the rescan after destroy found 00:1f.3: its real ids (sysfs)" "^8086 2930$" \
	id_of $SMBUS
check_output "... 8-bit reads too" "^80$" cfg $SMBUS 1 1
check_output "... and through MMCONFIG" "^0x29308086$" devmem $MMCFG_SMBUS 32
check "every function reads as before enable" test "$(ids_all)" = "$BEFORE"
check_output "destroy reset 00:1f.3: command 0 (the root's dropped 0xffff never reached it)" \
	"^0000$" cfg $SMBUS 4 2
check "... and the rescan found its BAR4 as the root had it (0x700)" sh -c \
	"test \$(dmesg | grep -c '1f.3: BAR 4 \[io  0x0700-0x073f\]\$') -ge 2"
check "create pci-demo again" jailhouse cell create /etc/jailhouse/pci-demo.cell
check_fails "... 00:1f.3 leaves the root again" test -e $SMBUS
check "destroy it" jailhouse cell destroy pci-demo
check_output "... and comes back" "^8086 2930$" id_of $SMBUS

check "disable" jailhouse disable
check "every function reads as before after disable" test "$(ids_all)" = "$BEFORE"
check_output "MMCONFIG reads the SMBus ids after disable" "^0x29308086$" devmem $MMCFG_SMBUS 32
check "module unloads" rmmod jailhouse

# pci-probe's source (GNU as; as --32, ld -m elf_i386 -Ttext=0 -e _start, objcopy -O binary):
#| /* pci-probe: a real-mode cell image (reset address 0). Latches the address at [0x4] (its own
#|  * function) and at [0x8] (another) through 0xcf8 with 32-bit OUTs, reads each latch back and
#|  * the 32-bit data at 0xcfc, prints "pci-probe: LATCH=DATA LATCH=DATA" through the console
#|  * hypercall; then halts with interrupts off. */
#| 	.code16
#| 	.text
#| 	.globl _start
#| _start:
#| 	cli
#| 	jmp	main
#| 	.org	0x4
#| own:	.long	0x8000fb00
#| other:	.long	0x8000f800
#| 	.org	0x40
#| main:
#| 	xor	%ax, %ax
#| 	mov	%ax, %ds
#| 	mov	%ax, %ss
#| 	mov	$0x8000, %sp
#| 	mov	$msg_probe, %si
#| 	call	puts
#| 	mov	own, %eax
#| 	call	probe
#| 	mov	$msg_sep, %si
#| 	call	puts
#| 	mov	other, %eax
#| 	call	probe
#| 	mov	$msg_nl, %si
#| 	call	puts
#| halt:
#| 	cli
#| 	hlt
#| 	jmp	halt
#| /* latch %eax at 0xcf8, print the latch read back, "=", the data at 0xcfc */
#| probe:
#| 	mov	$0xcf8, %dx
#| 	outl	%eax, %dx
#| 	inl	%dx, %eax
#| 	mov	%eax, %ebx
#| 	call	puthex
#| 	mov	$msg_eq, %si
#| 	call	puts
#| 	mov	$0xcfc, %dx
#| 	inl	%dx, %eax
#| 	mov	%eax, %ebx
#| 	call	puthex
#| 	ret
#| /* putc %al through HC_DEBUG_CONSOLE_PUTC (8) */
#| putc:
#| 	pushal
#| 	movzbl	%al, %edi
#| 	mov	$8, %eax
#| 	.byte	0x0f, 0x01, 0xd9	/* vmmcall */
#| 	popal
#| 	ret
#| puts:
#| 	lodsb
#| 	test	%al, %al
#| 	jz	1f
#| 	call	putc
#| 	jmp	puts
#| 1:	ret
#| /* %ebx as 8 hex digits */
#| puthex:
#| 	pushal
#| 	mov	$8, %cx
#| 1:	rol	$4, %ebx
#| 	mov	%bl, %al
#| 	and	$0xf, %al
#| 	add	$'0', %al
#| 	cmp	$'9', %al
#| 	jbe	2f
#| 	add	$7, %al
#| 2:	call	putc
#| 	loop	1b
#| 	popal
#| 	ret
#| msg_probe:	.asciz	"pci-probe: "
#| msg_sep:	.asciz	" "
#| msg_eq:		.asciz	"="
#| msg_nl:		.asciz	"\n"
