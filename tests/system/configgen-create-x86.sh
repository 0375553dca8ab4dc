# `configgen create` on x86 end to end: the system description generated on the host from a
# snapshot of this QEMU machine (tests/configgen/fixtures/qemu-x86-snapshot: its MADT and MCFG,
# /proc/iomem, /proc/ioports, PCI functions and online CPUs) is compiled with its memmap=
# reservations (build/x86/configs/live/create-*, made by `make ARCH=x86 configs`); the guest
# boots with them, collects a fresh snapshot with configgen/collect.sh and compares it with the
# fixture (a QEMU or SeaBIOS that changed the machine shows here), then enables the hypervisor
# with the generated configuration, runs Linux on every CPU and disables it.
# arch: x86
# cmdline: configs/live/create-root.cmdline
# timeout: 240

FIXTURE=/usr/share/jailhouse/snapshot
SNAP=/tmp/snapshot
HOLE=3a000000-3effffff
# The test machine is the fixture's: q35 with QEMU's standard VGA (tests/run-system.py), so any
# difference is QEMU or SeaBIOS drift.
# iomem_top FILE: the top-level entries of an iomem file, the memmap= hole (a "Reserved" entry
# exactly at $HOLE) merged back into the System RAM around it.
iomem_top() {
	grep -v '^ ' "$1" | awk -v hole="$HOLE" '
		{ range = $1; name = substr($0, index($0, " : ") + 3); split(range, r, "-") }
		range == hole && name == "Reserved" { in_hole = 1; next }
		in_hole && name == "System RAM" && last == "System RAM" { end = r[2]; in_hole = 0; next }
		{ if (n++) print start "-" end " : " last; start = r[1]; end = r[2]; last = name; in_hole = 0 }
		END { if (n) print start "-" end " : " last }'
}

# pci_functions DIR: "BDF vendor device class" of each PCI function of a snapshot (or of /)
pci_functions() {
	for d in "$1"/sys/bus/pci/devices/*; do
		echo "${d##*/} $(cat "$d/vendor") $(cat "$d/device") $(cat "$d/class")"
	done
}

# --- booted with the generated reservations ------------------------------------------------------
check_output "booted with the generated root.cmdline" 'memmap=0x5000000\$0x3a000000' cat /proc/cmdline
check "hypervisor memory and cell pool reserved (one Reserved entry)" iomem_covers 3a000000 3effffff Reserved
check_fails "hypervisor memory is not System RAM" iomem_covers 3a000000 3affffff "System RAM"
check_fails "cell pool is not System RAM" iomem_covers 3b000000 3effffff "System RAM"
check "RAM below them is System RAM" iomem_covers 100000 39ffffff "System RAM"
check "RAM above them is System RAM" iomem_covers 3f000000 3ffdffff "System RAM"
check_output "4 CPUs online" "^0-3$" cat /sys/devices/system/cpu/online

# --- a fresh snapshot, compared with the fixture the configuration was made from -----------------
check "collect.sh collects a snapshot" sh /usr/share/jailhouse/collect.sh "$SNAP"
for t in APIC MCFG; do
	check "ACPI $t table identical to the fixture's" \
		cmp "$SNAP/sys/firmware/acpi/tables/$t" "$FIXTURE/sys/firmware/acpi/tables/$t"
done
check_fails "no IOMMU tables (DMAR, IVRS), as in the fixture" \
	sh -c "ls $SNAP/sys/firmware/acpi/tables/DMAR $SNAP/sys/firmware/acpi/tables/IVRS 2>/dev/null | grep ."
iomem_top "$SNAP/proc/iomem" > /tmp/iomem.fresh
iomem_top "$FIXTURE/proc/iomem" > /tmp/iomem.fixture
check "top-level /proc/iomem as the fixture's (memmap= hole merged)" \
	diff /tmp/iomem.fixture /tmp/iomem.fresh
check "/proc/ioports as the fixture's" diff "$FIXTURE/proc/ioports" "$SNAP/proc/ioports"
pci_functions "$SNAP" > /tmp/pci.fresh
pci_functions "$FIXTURE" > /tmp/pci.fixture
check "PCI functions (vendor, device, class) as the fixture's" \
	diff /tmp/pci.fixture /tmp/pci.fresh
check "online CPUs as the fixture's" \
	cmp "$SNAP/sys/devices/system/cpu/online" "$FIXTURE/sys/devices/system/cpu/online"

# --- the generated configuration runs the hypervisor --------------------------------------------
check "generated system config present" test -s /etc/jailhouse/create-system.cell
check "module loads" insmod /lib/modules/jailhouse.ko
check "jailhouse enable with the generated system config" \
	jailhouse enable /etc/jailhouse/create-system.cell
check_output "enabled" "^1$" cat /sys/devices/jailhouse/enabled
check_dmesg "root cell is the generated one" "Linux runs as root cell \"root-linux\""
for cpu in 0 1 2 3; do
	check_output "root Linux runs work on CPU $cpu" "^done$" \
		taskset -c $cpu sh -c 'i=0; while [ $i -lt 2000 ]; do i=$((i + 1)); done; echo done'
done
check_output "root reads PCI config space (the host bridge's vendor)" "^ *8086$" \
	od -An -tx2 -N2 /sys/bus/pci/devices/0000:00:00.0/config
check_output "CPU 1 counted exits under the generated config" "^[1-9][0-9]*$" \
	cat /sys/devices/jailhouse/statistics/cpu1/vmexits_total
check "disable" jailhouse disable
check_output "disabled" "^0$" cat /sys/devices/jailhouse/enabled
check "module unloads" rmmod jailhouse
