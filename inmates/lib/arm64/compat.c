// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * arm64 functions of the Jailhouse compat API (compat/include/inmate.h, arm64/compat/): the PCI
 * calls expressed with the native library (the rest: arm-common/compat.c).
 */
#include "internal.h"

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
