# The root cannot take the interrupt controller away from the hypervisor: GICD and GICR
# accesses are trapped and filtered. Reserved SGIs and the maintenance interrupt are hidden,
# the distributor's global switch is not the root's, and IPIs keep working afterwards.
# append: iomem=relaxed
# timeout: 120

GICR0_SGI=0x080b0000
ISENABLER0=$((GICR0_SGI + 0x100))
ICENABLER0=$((GICR0_SGI + 0x180))
# the hypervisor's SGIs 14 (inject) and 15 (event), Group 0, and the maintenance PPI
RESERVED=$(((1 << 14) | (1 << 15) | (1 << 25)))
LINUX_SGIS=0x7f		# Linux 6.1's IPIs: SGIs 0-6

reserved_bits_hidden() {
	v=$(devmem $ISENABLER0 32) || return 1
	echo "GICR_ISENABLER0 reads $v"
	[ $((v & RESERVED)) -eq 0 ] && [ $((v & 0x3fff)) -ne 0 ]
}

# after disable: Linux's SGIs on, the hypervisor's given back as Linux left them (off)
sgis_given_back() {
	v=$(devmem $ISENABLER0 32) || return 1
	echo "GICR_ISENABLER0 reads $v"
	[ $((v & LINUX_SGIS)) -eq $((LINUX_SGIS)) ] && [ $((v & 0xc000)) -eq 0 ]
}

ipis_work() {	# needs IPIs: wake every CPU, move a task over all of them
	for c in 0 1 2 3 0 3 1 2; do taskset -c $c /bin/busybox true || return 1; done
}

check "module loads" insmod /lib/modules/jailhouse.ko
check "enable" jailhouse enable /etc/jailhouse/system.cell
check "reserved SGIs and maintenance PPI read as disabled" reserved_bits_hidden
check "root may try to disable them" devmem $ICENABLER0 32 $RESERVED
check "root may try to switch the distributor off" devmem 0x08000000 32 0
check_output "distributor still on (writes to GICD_CTLR ignored)" "^0x000000[1-9A-F][0-9A-F]$" \
	devmem 0x08000000 32
check "IPIs still work" ipis_work
check "CPU hotplug still works" sh -c 'echo 0 > /sys/devices/system/cpu/cpu2/online &&
	echo 1 > /sys/devices/system/cpu/cpu2/online'
check "disable (needs the hypervisor's SGIs on every CPU)" jailhouse disable
check "Linux's SGIs enabled, SGIs 14/15 disabled again" sgis_given_back
check "IPIs work after disable" ipis_work
