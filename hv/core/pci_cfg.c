// SPDX-License-Identifier: GPL-2.0
/*
 * The configuration space of a function a non-root cell owns, as the cell sees it. The cell
 * drives its device, nothing more: the BARs hold what the configuration assigns (the cell may
 * size them, never move them: a moved window would decode addresses of other cells), the
 * expansion ROM is hidden, bus mastering stays off unless the cell is trusted with DMA (no
 * IOMMU confines it), MSI and MSI-X are not in the capability chain (an MSI is a DMA write to
 * an address the cell could pick) and the PCIe extended space reads 0. Header registers that
 * only identify the function read through; writes reach the hardware only where listed here.
 * Called under pci.c's lock.
 */
#include <pci.h>

#define CAP_HOPS	48	/* a capability chain is at most (256 - 64) / 4 entries long */

static u8 read8(u16 bdf, unsigned int reg)
{
	return arch_pci_read(bdf, reg, 1);
}

static bool cap_hidden(u8 id)
{
	return id == PCI_CAP_MSI || id == PCI_CAP_MSIX;
}

/* The first capability at or after ptr in the chain that the cell may see (0: none). */
u8 pci_cap_visible(u16 bdf, u8 ptr)
{
	unsigned int hops;

	for (hops = 0; hops < CAP_HOPS && ptr >= 0x40; hops++) {
		ptr &= ~3u;
		if (!cap_hidden(read8(bdf, ptr)))
			return ptr;
		ptr = read8(bdf, ptr + 1);
	}
	return 0;
}

static bool has_cap_list(u16 bdf)
{
	return arch_pci_read(bdf, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST;
}

/* The first capability with this id in the chain (hidden ones too), 0 if none. */
unsigned int pci_cap_find(u16 bdf, u8 id)
{
	unsigned int hops;
	u8 ptr = has_cap_list(bdf) ? read8(bdf, PCI_CAP_PTR) : 0;

	for (hops = 0; hops < CAP_HOPS && ptr >= 0x40; hops++) {
		ptr &= ~3u;
		if (read8(bdf, ptr) == id)
			return ptr;
		ptr = read8(bdf, ptr + 1);
	}
	return 0;
}

/*
 * The capability whose registers hold reg (>= 0x40): the closest one starting at or below
 * it (capabilities do not overlap), 0 if none. id gets its id.
 */
unsigned int pci_cap_at(u16 bdf, unsigned int reg, u8 *id)
{
	unsigned int hops, best = 0;
	u8 ptr = has_cap_list(bdf) ? read8(bdf, PCI_CAP_PTR) : 0;

	for (hops = 0; hops < CAP_HOPS && ptr >= 0x40; hops++) {
		ptr &= ~3u;
		if (ptr <= reg && ptr > best)
			best = ptr;
		ptr = read8(bdf, ptr + 1);
	}
	if (best)
		*id = read8(bdf, best);
	return best;
}

/* The dword at dw (>= 0x40) with every next pointer of the chain in it skipping hidden ones. */
static u32 patch_next(u16 bdf, unsigned int dw, u32 v)
{
	unsigned int hops;
	u8 ptr = has_cap_list(bdf) ? read8(bdf, PCI_CAP_PTR) : 0;

	for (hops = 0; hops < CAP_HOPS && ptr >= 0x40; hops++) {
		u8 next;

		ptr &= ~3u;
		next = read8(bdf, ptr + 1);
		if (ptr == dw) {
			v = (v & ~0xff00u) | (u32)pci_cap_visible(bdf, next) << 8;
			break;
		}
		ptr = next;
	}
	return v;
}

/* BAR n as the cell reads it: its configured value, or the size mask after an all-ones write. */
static u32 bar_read(const struct pci_func *f, unsigned int n)
{
	u32 flags;

	if (!(f->sizing & (1u << n)))
		return f->bar[n];
	if (f->upper & (1u << n))
		return f->mask[n];
	flags = f->bar[n] & (f->bar[n] & PCI_BAR_IO ? PCI_BAR_IO_FLAGS : PCI_BAR_MEM_FLAGS);
	return f->mask[n] ? f->mask[n] | flags : 0;
}

u32 pci_cfg_read(const struct pci_func *f, unsigned int reg, unsigned int size)
{
	unsigned int dw = reg & ~3u, shift = (reg & 3) * 8;
	u32 v;

	if (reg >= PCI_CFG_LEGACY)
		return 0;	/* extended capabilities: none (AER, SR-IOV, ... reach outside) */
	if (dw >= PCI_BAR0 && dw < PCI_BAR0 + 4 * HVCFG_PCI_NUM_BARS) {
		v = bar_read(f, (dw - PCI_BAR0) / 4);
	} else if (dw == PCI_ROM) {
		v = 0;
	} else {
		v = arch_pci_read(f->bdf, dw, 4);
		if (dw == PCI_CAP_PTR)
			v = (v & ~0xffu) | (has_cap_list(f->bdf) ? pci_cap_visible(f->bdf, (u8)v) : 0);
		else if (dw >= 0x40)
			v = patch_next(f->bdf, dw, v);
	}
	return (v >> shift) & pci_ones(size);
}

/*
 * A BAR write: a 32-bit write of all ones asks for the size, anything else is ignored (the
 * hardware keeps the configured address).
 */
static void bar_write(struct pci_func *f, unsigned int n, unsigned int size, u32 value)
{
	if (size == 4 && value == 0xffffffffu)
		f->sizing |= 1u << n;
	else
		f->sizing &= ~(1u << n);
}

/*
 * The bits of the dword at dw (< PCI_CFG_LEGACY, not a BAR) a write may change. Decoding of a
 * kind only where the cell has a BAR of that kind: a hidden BAR keeps the root's address.
 */
static u32 write_mask(const struct pci_func *f, unsigned int dw, bool dma_trusted)
{
	u32 cmd = f->decode | PCI_CMD_PARITY | PCI_CMD_SERR | PCI_CMD_INTX_DISABLE;
	u16 bdf = f->bdf;
	unsigned int cap;
	u8 id;

	switch (dw) {
	case PCI_COMMAND:
		/* the status half is write-one-to-clear: the cell's own error bits */
		return 0xffff0000u | cmd | (dma_trusted ? PCI_CMD_BME : 0);
	case PCI_CACHE_LINE:
		return 0x0000ffffu;	/* cache line size and latency timer; not BIST */
	case PCI_INT_LINE:
		return 0x000000ffu;	/* a scratch byte for the driver */
	}
	if (dw < 0x40)
		return 0;		/* ids, class, CardBus, subsystem, capability pointer */
	cap = pci_cap_at(bdf, dw, &id);
	if (!cap || cap_hidden(id))
		return 0;		/* device-specific registers, MSI, MSI-X */
	if (id == PCI_CAP_PCIE && dw == cap + PCI_EXP_DEVCTL)
		return ~PCI_EXP_DEVCTL_FLR;	/* a reset would clear the BARs under us */
	return 0xffffffffu;
}

void pci_cfg_write(struct pci_func *f, bool dma_trusted, unsigned int reg, unsigned int size,
		   u32 value)
{
	unsigned int dw = reg & ~3u, shift = (reg & 3) * 8;
	u32 mask;

	if (reg >= PCI_CFG_LEGACY)
		return;
	if (dw >= PCI_BAR0 && dw < PCI_BAR0 + 4 * HVCFG_PCI_NUM_BARS) {
		bar_write(f, (dw - PCI_BAR0) / 4, size, value);
		return;
	}
	mask = (write_mask(f, dw, dma_trusted) >> shift) & pci_ones(size);
	if (mask)
		arch_pci_write(f->bdf, reg, size, value & mask);
}
