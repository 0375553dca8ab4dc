// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * arm64 functions of the Jailhouse compat API (compat/include/inmate.h, arm64/compat/):
 * Jailhouse's timer, interrupt, mapping and PCI calls expressed with the native library.
 */
#include "internal.h"

unsigned long timer_get_frequency(void)
{
	return timer_frequency();
}

u64 timer_get_ticks(void)
{
	return timer_ticks();
}

void timer_start(u64 timeout)
{
	timer_arm(timeout);
}

/* The library enabled the MMU before inmate_main(). */
void arch_mmu_enable(void)
{
}

/* Jailhouse's arm64 inmates run with IRQs unmasked from the start; ours unmask at irq_init. */
void jh_arch_irq_init_done(void)
{
	local_irq_enable();
}

void jh_irq_enable(unsigned int irq)
{
	irq_enable(irq);
}

/* 0: MAP_CACHED (normal memory), 1: MAP_UNCACHED (device). */
void jh_map_range(void *start, unsigned long size, unsigned int jh_type)
{
	u64 addr = (uintptr_t)start;

	/* The image is mapped already; remap_range() refuses to touch it. */
	if (remap_range(addr, size, jh_type ? MAP_DEVICE : MAP_NORMAL))
		printk("inmate: map_range(0x%llx, 0x%lx) failed\n", addr, size);
}

int jh_pci_init(void)
{
	return pci_init();
}

int jh_pci_find_device(u16 vendor, u16 device, u16 start_bdf)
{
	return pci_find_device(vendor, device, start_bdf);
}

int jh_pci_find_cap(u16 bdf, u16 cap)
{
	unsigned int pos = pci_find_cap(bdf, cap);

	return pos ? (int)pos : -1;
}

/* The cells of this hypervisor give arm64 PCI functions INTx only (as Jailhouse does). */
void pci_msix_set_vector(u16 bdf, unsigned int vector, u32 index)
{
	printk("inmate: pci_msix_set_vector(%x, %u, %u): no MSI-X on arm64, ignored\n", bdf,
	       vector, index);
}
