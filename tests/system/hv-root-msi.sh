# The root drives the PCIe host and the ITS: a virtio-rng PCI device's MSI-X vectors are LPIs.
# They must keep arriving with the hypervisor enabled (taken at EL2, ended there, handed over as
# virtual LPIs), on every CPU the root keeps, while cells run, and after the disable. Once, the
# hypervisor took an LPI for "spurious" and never ended it: the CPU's priority stayed raised,
# the read below hung, and the CPU saw no interrupt again.
# qemu: -device virtio-rng-pci
# timeout: 150

MOD=/lib/modules/kernel
INM=/usr/share/jailhouse/inmates

msi_irqs() {	# interrupts taken through the ITS so far, all CPUs
	awk '/ITS-MSI/ { for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) s += $i } END { print s + 0 }' \
		/proc/interrupts
}
rng_vector() {	# the Linux IRQ number of the device's request queue vector
	awk -F: '/ITS-MSI/ && /virtio0-(input|requests)/ { gsub(/ /, "", $1); print $1; exit }' \
		/proc/interrupts
}
rng_reads() {	# rng_reads [CPU]: 4 KiB from the device (its LPI aimed at CPU), within 20 s
	if [ -n "$1" ]; then
		echo "$1" > /proc/irq/$(rng_vector)/smp_affinity_list || return 1
	fi
	before=$(msi_irqs)
	timeout 20 dd if=/dev/hwrng of=/tmp/rng bs=64 count=64 2>/dev/null || return 1
	after=$(msi_irqs)
	echo "$(wc -c < /tmp/rng) bytes, MSIs $before -> $after"
	[ "$(wc -c < /tmp/rng)" -eq 4096 ] && [ "$after" -gt "$before" ]
}

check_dmesg "the root Linux probed the ITS" "ITS@0x0*8080000"
for m in virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio-rng; do
	check "insmod $m" insmod $MOD/$m.ko
done
check_output "virtio-rng is a PCI device with MSI-X vectors from the ITS" "virtio0" \
	grep ITS-MSI /proc/interrupts
check "random bytes by MSI before the enable" rng_reads
check "module loads" insmod /lib/modules/jailhouse.ko
check "enable" jailhouse enable /etc/jailhouse/system.cell
for cpu in 0 1 2 3; do
	check "with the hypervisor: random bytes by MSI on CPU $cpu" rng_reads $cpu
done
check "the root still has all its interrupts: the timer ticks" sleep 1

check "create smp-demo (CPUs 1-2)" jailhouse cell create /etc/jailhouse/smp-demo.cell
check "create gic-demo (CPU 3)" jailhouse cell create /etc/jailhouse/gic-demo.cell
check "start gic-demo" sh -c "jailhouse cell load gic-demo $INM/gic-demo.bin -a 0x1000 &&
	jailhouse cell start gic-demo"
check "with two cells: random bytes by MSI on CPU 0" rng_reads 0
check "smp-demo destroyed" jailhouse cell destroy smp-demo
check_output "CPUs 1-2 back with the root" "^0-2$" cat /sys/devices/system/cpu/online
check "random bytes by MSI on the returned CPU 1" rng_reads 1
check "gic-demo destroyed" jailhouse cell destroy gic-demo
check "disable" jailhouse disable
check "after the disable: random bytes by MSI on CPU 0" rng_reads 0
check "after the disable: random bytes by MSI on CPU 1" rng_reads 1
