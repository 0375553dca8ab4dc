/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A host stand-in for PCI configuration space (arch_pci_read/arch_pci_write of pci.h): a few
 * functions, each 4 KiB of bytes; BARs decode only their mask's bits (their type bits are
 * read-only), everything else is stored as written. Any other function reads all ones.
 * fake_pci_writes counts hardware writes (what the filter let through).
 */
#ifndef HV_TESTS_FAKE_PCI_H
#define HV_TESTS_FAKE_PCI_H

#include <pci.h>
#include <string.h>

#define FAKE_PCI_FUNCS	4

struct fake_pci_func {
	bool present;
	u16 bdf;
	u8 cfg[PCI_CFG_SIZE];
	u32 bar_mask[HVCFG_PCI_NUM_BARS];	/* writable bits; the rest of the BAR is fixed */
};

static struct fake_pci_func fake_pci[FAKE_PCI_FUNCS];
static unsigned int fake_pci_writes;
static bool fake_pci_io_ok;		/* what arch_pci_io_in_cell() answers */

static struct fake_pci_func *fake_pci_find(u16 bdf)
{
	unsigned int n;

	for (n = 0; n < FAKE_PCI_FUNCS; n++)
		if (fake_pci[n].present && fake_pci[n].bdf == bdf)
			return &fake_pci[n];
	return NULL;
}

static u32 fake_get(const struct fake_pci_func *f, unsigned int reg, unsigned int size)
{
	u32 v = 0;
	unsigned int n;

	for (n = 0; n < size; n++)
		v |= (u32)f->cfg[reg + n] << (8 * n);
	return v;
}

static void fake_put(struct fake_pci_func *f, unsigned int reg, unsigned int size, u32 v)
{
	unsigned int n;

	for (n = 0; n < size; n++)
		f->cfg[reg + n] = v >> (8 * n);
}

u32 arch_pci_read(u16 bdf, unsigned int reg, unsigned int size)
{
	struct fake_pci_func *f = fake_pci_find(bdf);

	return f ? fake_get(f, reg, size) : pci_ones(size);
}

void arch_pci_write(u16 bdf, unsigned int reg, unsigned int size, u32 value)
{
	struct fake_pci_func *f = fake_pci_find(bdf);
	unsigned int bar = (reg - PCI_BAR0) / 4;
	u32 old;

	if (!f)
		return;
	fake_pci_writes++;
	if (reg >= PCI_BAR0 && reg < PCI_BAR0 + 24) {
		old = fake_get(f, PCI_BAR0 + 4 * bar, 4);
		fake_put(f, reg, size, value);
		value = fake_get(f, PCI_BAR0 + 4 * bar, 4);
		fake_put(f, PCI_BAR0 + 4 * bar, 4,
			 (value & f->bar_mask[bar]) | (old & ~f->bar_mask[bar]));
		return;
	}
	fake_put(f, reg, size, value);
}

bool arch_pci_io_in_cell(const struct hvcfg_cell_desc *desc, const void *blob, u64 port,
			 u64 size)
{
	return fake_pci_io_ok;
}

/*
 * A serial-like function at bdf: 8-byte I/O BAR0, 4 KiB memory BAR1, a 64-bit 16 KiB memory
 * BAR2+3, capabilities PM (0x40) -> MSI (0x50) -> PCIe (0x60, FLR) -> MSI-X (0x70) -> vendor
 * (0x80), an extended capability at 0x100.
 */
static __attribute__((unused)) struct fake_pci_func *fake_pci_add(unsigned int slot, u16 bdf)
{
	struct fake_pci_func *f = &fake_pci[slot];

	memset(f, 0, sizeof(*f));
	f->present = true;
	f->bdf = bdf;
	fake_put(f, PCI_VENDOR_ID, 4, 0x00021b36);
	fake_put(f, PCI_COMMAND, 4, PCI_STATUS_CAP_LIST << 16 | PCI_CMD_IO | PCI_CMD_MEM);
	fake_put(f, 0x08, 4, 0x07000201);
	fake_put(f, PCI_BAR0, 4, 0x1001);
	f->bar_mask[0] = 0xfffffff8;
	fake_put(f, PCI_BAR0 + 4, 4, 0x10000000);
	f->bar_mask[1] = 0xfffff000;
	fake_put(f, PCI_BAR0 + 8, 4, 0x10004004);
	f->bar_mask[2] = 0xffffc000;
	fake_put(f, PCI_BAR0 + 12, 4, 0);
	f->bar_mask[3] = 0xffffffff;
	fake_put(f, PCI_ROM, 4, 0xfffc0000);
	fake_put(f, PCI_CAP_PTR, 1, 0x40);
	fake_put(f, PCI_INT_LINE, 4, 0x0100);
	fake_put(f, 0x40, 2, 0x5001);		/* PM -> 0x50 */
	fake_put(f, 0x50, 2, 0x6005);		/* MSI -> 0x60 */
	fake_put(f, 0x60, 2, 0x7010);		/* PCIe -> 0x70 */
	fake_put(f, 0x60 + PCI_EXP_DEVCAP, 4, PCI_EXP_DEVCAP_FLR);
	fake_put(f, 0x70, 2, 0x8011);		/* MSI-X -> 0x80 */
	fake_put(f, 0x80, 2, 0x0009);		/* vendor, last */
	fake_put(f, 0x100, 4, 0x00010001);	/* AER */
	return f;
}

#endif
