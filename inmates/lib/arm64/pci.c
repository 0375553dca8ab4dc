// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * PCI configuration space through the ECAM window (bus 0 only: a cell's virtual PCI host has
 * no other bus). Where the window is: the command line's ecam=, else the comm region's
 * pci_mmconfig_base, else the build default (QEMU virt's high ECAM).
 */
#include "internal.h"

#define ECAM_FN_SHIFT		12
#define ECAM_BUS_SIZE		(1UL << 20)
#define PCI_CAP_PTR		0x34
#define PCI_STATUS		0x06
#define  PCI_STATUS_CAP_LIST	0x10
#define CAP_LIMIT		48	/* a looping capability list ends here */

static uintptr_t ecam;

u64 pci_ecam_base(void)
{
	struct hv_comm_region *comm = comm_region();
	u64 base = inmate_defaults.pci_ecam_base;

	if (comm && comm->pci_mmconfig_base)
		base = comm->pci_mmconfig_base;
	return cmdline_get_u64("ecam", base);
}

int pci_init(void)
{
	u64 base = pci_ecam_base();

	if (!base || remap_range(base, ECAM_BUS_SIZE, MAP_DEVICE))
		return -1;
	ecam = base;
	return 0;
}

static uintptr_t cfg_addr(u16 bdf, unsigned int reg)
{
	return ecam + ((uintptr_t)(bdf & 0xff) << ECAM_FN_SHIFT) + (reg & 0xfff);
}

u32 pci_read_config(u16 bdf, unsigned int reg, unsigned int size)
{
	uintptr_t a = cfg_addr(bdf, reg);
	u32 v;

	if (!ecam)
		return ~0U;
	switch (size) {
	case 1:
		return mmio_read8(a);
	case 2:
		__asm__ volatile("ldrh %w0, [%1]" : "=r" (v) : "r" (a) : "memory");
		return v;
	default:
		return mmio_read32(a);
	}
}

void pci_write_config(u16 bdf, unsigned int reg, u32 val, unsigned int size)
{
	uintptr_t a = cfg_addr(bdf, reg);

	if (!ecam)
		return;
	switch (size) {
	case 1:
		mmio_write8(a, val);
		break;
	case 2:
		__asm__ volatile("strh %w0, [%1]" : : "r" (val), "r" (a) : "memory");
		break;
	default:
		mmio_write32(a, val);
	}
}

int pci_find_device(u16 vendor, u16 device, unsigned int from)
{
	unsigned int bdf;

	for (bdf = from; bdf < 256; bdf++)
		if (pci_read_config(bdf, 0, 4) == ((u32)device << 16 | vendor))
			return bdf;
	return -1;
}

unsigned int pci_find_cap(u16 bdf, u8 id)
{
	unsigned int pos, n;

	if (!(pci_read_config(bdf, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST))
		return 0;
	pos = pci_read_config(bdf, PCI_CAP_PTR, 1) & ~3U;
	for (n = 0; pos >= 0x40 && n < CAP_LIMIT; n++) {
		if (pci_read_config(bdf, pos, 1) == id)
			return pos;
		pos = pci_read_config(bdf, pos + 1, 1) & ~3U;
	}
	return 0;
}
