# jailhouse cell linux, its promises and its refusals, with a stand-in kernel
# (tests/tools/standin-kernel.S: an Image header and a check of its entry: at the first 2 MiB
# boundary of the cell's RAM, x0 = DTB, x1-x3 = 0, told through the hypervisor console) in
# smp-demo. Bad input (not an Image, gzip, too big, broken, missing or foreign DTB, unknown
# option, not a cell, a refused create) gives a clear error and its exit code and leaves no
# cell behind; a running cell is reused (and untouched by a refused request); -w writes the DTB
# it would load.
# timeout: 180

# the stand-in's bytes: base64 of tests/tools/standin-kernel.S assembled (test_cli_units.py)
STANDIN_B64="
EAAAFAAAAAAAAAAAAAAAAAAAAQAAAAAACgAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAABBUk1kAAAAAAn+/xAKBKDS
PwEK62EBAFQrAAKqawEDqgsBALUMAEC5DbqBUs2/vXKfAQ1rYQAAVEUBABACAAAU5QIAUKEUQDiBAAA0AAGA0gJJCdT8//8X
fyAD1f///xdsaW51eC1jbGkgc3RhbmQtaW46IGVudGVyZWQgYXQgMHgyMDAwMDAsIHgwID0gRFRCLCB4MS14MyA9IDAKAGxp
bnV4LWNsaSBzdGFuZC1pbjogQkFEIEVOVFJZCgA="
# smp-demo's DTB, the least a kernel needs: its 64 MiB at guest 0 (dtc of
# / { #address-cells = <2>; #size-cells = <2>; chosen { };
#     memory@0 { device_type = "memory"; reg = <0 0 0 0x4000000>; }; };)
DTB_B64="
0A3+7QAAAOcAAAA4AAAAvAAAACgAAAARAAAAEAAAAAAAAAArAAAAhAAAAAAAAAAAAAAAAAAAAAAAAAABAAAAAAAAAAMAAAAE
AAAAAAAAAAIAAAADAAAABAAAAA8AAAACAAAAAWNob3NlbgAAAAAAAgAAAAFtZW1vcnlAMAAAAAAAAAADAAAABwAAABttZW1v
cnkAAAAAAAMAAAAQAAAAJwAAAAAAAAAAAAAAAAQAAAAAAAACAAAAAgAAAAkjYWRkcmVzcy1jZWxscwAjc2l6ZS1jZWxscwBk
ZXZpY2VfdHlwZQByZWcA"
W=/tmp/cli
CELL=$W/smp-demo.cell
STATE=/sys/devices/jailhouse/cells/1/state
mkdir -p $W/nodtb
echo "$STANDIN_B64" | base64 -d > $W/standin
cp /etc/jailhouse/smp-demo.cell $CELL
cp /etc/jailhouse/smp-demo.cell $W/nodtb/smp-demo.cell
echo "$DTB_B64" | base64 -d > $W/smp-demo.dtb
echo "an initrd" > $W/initrd

no_cell_left() {	# no cell listed, every CPU back with Linux
	[ "$(jailhouse cell list | wc -l)" -eq 1 ] && [ "$(cat /sys/devices/system/cpu/online)" = 0-3 ]
}
exit_code() {	# exit_code N CMD...: CMD exits with N
	want=$1; shift
	"$@"
	[ $? -eq "$want" ]
}
standin_lines() {
	jailhouse console | grep -c '^\[smp-demo\] linux-cli stand-in: entered at 0x200000, x0 = DTB, x1-x3 = 0$'
}

check "module loads" insmod /lib/modules/jailhouse.ko
check_fails_with "hypervisor not enabled: the create is refused, reported" \
	"^jailhouse: cell linux: create $CELL: " jailhouse cell linux $CELL $W/standin
check "enable" jailhouse enable /etc/jailhouse/system.cell

# refusals before anything is touched
check_fails_with "not an Image" "not an arm64 Image: no .*magic" \
	jailhouse cell linux $CELL /etc/jailhouse/smp-demo.cell
gzip -c $W/standin > $W/standin.gz
check_fails_with "a gzip-compressed kernel: named, with the zcat hint" \
	"gzip-compressed, not an arm64 Image \(hint: decompress it: zcat vmlinuz > Image\)" \
	jailhouse cell linux $CELL $W/standin.gz
truncate -s 70M $W/big
check_fails_with "an initrd larger than the RAM: what, and by how much" \
	"the initrd \(70.0 MiB at 0x2[0-9a-f]{2}000\) does not fit the cell's RAM 0x0-0x3ffffff \(64.0 MiB\): [0-9]+ bytes \(8.1 MiB\) short" \
	jailhouse cell linux $CELL $W/standin -i $W/big
rm $W/big
cp $W/smp-demo.dtb $W/broken.dtb
printf 'X' | dd of=$W/broken.dtb bs=1 seek=0 conv=notrunc 2>/dev/null
check_fails_with "a DTB with a broken magic" \
	"broken.dtb: broken device tree: not a DTB: magic 0x58" \
	jailhouse cell linux $CELL $W/standin -d $W/broken.dtb
check_fails_with "the root's DTB: memory the cell does not have" \
	"root.dtb: the DTB gives the kernel memory 0x40000000-0x[0-9a-f]+, which is not RAM of the cell" \
	jailhouse cell linux $CELL $W/standin -d /etc/jailhouse/root.dtb
check_fails_with "no DTB beside the cell and no -d" \
	"no device tree: $W/nodtb/smp-demo.dtb: No such file" \
	jailhouse cell linux $W/nodtb/smp-demo.cell $W/standin
check_fails_with "a DTB given as the cell" "not a cell configuration" \
	jailhouse cell linux $W/smp-demo.dtb $W/standin
check_fails_with "a missing kernel" "cannot read $W/nothing" \
	jailhouse cell linux $CELL $W/nothing
check "an unknown option: exit 2" exit_code 2 jailhouse cell linux $CELL $W/standin --frob
check_fails_with "... saying so" "unknown option '--frob'" \
	jailhouse cell linux $CELL $W/standin --frob
check "no arguments: exit 2" exit_code 2 jailhouse cell linux
check "bad input: exit 1" exit_code 1 jailhouse cell linux $CELL $W/standin.gz
check "nothing was created" no_cell_left

# the boot
check_output "-w writes the DTB it would load and loads nothing" \
	'Linux laid out \(dry run, nothing loaded\): loader 0x0, kernel 0x200000-0x20ffff, DTB 0x210000' \
	jailhouse cell linux $CELL $W/standin -i $W/initrd -c "console=stand-in-w" -w $W/out.dtb
check "... with the command line" grep -q "console=stand-in-w" $W/out.dtb
check "... and no cell" no_cell_left
check "boot: with an initrd and a command line" sh -c \
	"jailhouse cell linux $CELL $W/standin -i $W/initrd -c console=stand-in > $W/boot.out 2>&1"
check_output "... the cell is created" '^Cell "smp-demo" created, id 1$' cat $W/boot.out
check_output "... and started, the addresses printed" \
	'^Cell "smp-demo": Linux started: loader 0x0, kernel 0x200000-0x20ffff, DTB 0x210000 \([0-9]+ bytes\), initrd 0x2[0-9a-f]{2}000-0x' \
	cat $W/boot.out
sleep 1
check_output "the stand-in ran: entered as the boot protocol says" "^1$" standin_lines
check_output "the cell runs" "^running$" cat $STATE
check_fails_with "a bad request for the running cell" "gzip" \
	jailhouse cell linux $CELL $W/standin.gz
check_output "... leaves it running" "^running$" cat $STATE
check "again, without initrd and command line" sh -c \
	"jailhouse cell linux $CELL $W/standin > $W/boot.out 2>&1"
check_output "... the cell is reused, not created" '^Cell "smp-demo": Linux started: loader 0x0' \
	cat $W/boot.out
check_fails "... (no create line)" grep -q created $W/boot.out
sleep 1
check_output "... and the stand-in ran again" "^2$" standin_lines
check "destroy" jailhouse cell destroy smp-demo
check "no cell left, the CPUs back with Linux" no_cell_left
