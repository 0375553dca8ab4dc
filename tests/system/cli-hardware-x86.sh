# The CLI's Jailhouse-parity commands on x86 (AMD SVM, one boot): `jailhouse hardware check`
# reads SVM, NPT, 4-level paging and the xAPIC as the module's probe will (VM_CR and EFER need
# the msr driver, which the test kernel's module set lacks: skipped, and said so), and the memmap= reservation against /proc/iomem and the firmware's e820 map; with
# the module its SVM probe agrees, and enable then works; `jailhouse config collect` copies what
# configgen/collect.sh copies, byte for byte (the kernel log aside: it grows in between).
# arch: x86
# timeout: 180

SYS=/etc/jailhouse/system.cell
HW="jailhouse hardware check"

check_output "hardware check without the module: nothing makes enable fail" \
	"nothing found that makes jailhouse enable fail" $HW $SYS
check_output "... AMD SVM with nested paging" "OK +nested paging: NPT" $HW $SYS
check_output "... 4-level paging" "OK +paging: 4-level" $HW $SYS
check_output "... the xAPIC" "OK +local APIC: xAPIC" $HW $SYS
check_output "... the memmap= reservation: RAM per e820, not System RAM" \
	"OK +hypervisor memory: 0x3a000000-0x3affffff \(16 MiB\): RAM, not used" $HW $SYS
check_output "... the configuration's CPUs are the online ones (APIC ids)" \
	"OK +CPUs of the configuration: all 4 CPUs" $HW $SYS
check_output "... MSRs unreadable without the msr driver: skipped, not failed" \
	"SKIP +SVM enabled: VM_CR and EFER unreadable" $HW $SYS
check "module loads" insmod /lib/modules/jailhouse.ko
check_output "hardware check with the module: its SVM probe passes" \
	"OK +module SVM probe: AMD SVM with nested paging available" $HW $SYS
check_fails_with "a text file as the configuration: one FAIL line, exit 1" \
	"FAIL +system configuration: not a system configuration" $HW /proc/cpuinfo
check_output "config check: the system and its cells as enable and create check them" \
	'smp-demo.cell: ok: cell "smp-demo" fits the system' \
	jailhouse config check $SYS /etc/jailhouse/apic-demo.cell /etc/jailhouse/smp-demo.cell
check "enable, as the check said" jailhouse enable $SYS
check_fails_with "while enabled: enable would fail" "FAIL +hypervisor: already enabled" $HW $SYS
check "disable" jailhouse disable

check "config collect" jailhouse config collect /tmp/by-cli
check "collect.sh" sh /usr/share/jailhouse/collect.sh /tmp/by-sh
(cd /tmp/by-sh && find . -type f | grep -v '^./dmesg$' | sort) > /tmp/sh.list
(cd /tmp/by-cli && find . -type f | grep -v '^./dmesg$' | sort) > /tmp/cli.list
check "the same files as collect.sh" diff /tmp/sh.list /tmp/cli.list
check_output "... with the ACPI tables and PCI functions" "acpi/tables/APIC" cat /tmp/cli.list
check "... byte for byte" sh -c 'while read f; do
	diff /tmp/by-sh/$f /tmp/by-cli/$f > /dev/null || { echo "differs: $f"; exit 1; }; done < /tmp/sh.list'
check "config collect into a tar archive" jailhouse config collect /tmp/snap.tar
check_output "... a ustar archive" "ustar" sh -c "dd if=/tmp/snap.tar bs=1 skip=257 count=5 2>/dev/null"
