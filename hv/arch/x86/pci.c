// SPDX-License-Identifier: GPL-2.0
/*
 * x86's side of the PCI filter (hv/core/pci.c decides): configuration mechanism #1 (address
 * latch 0xcf8, data 0xcfc-0xcff) is emulated for every cell, the root included, and the
 * root's MMCONFIG window is trapped (never in its NPT); each access goes to pci_cfg_access().
 * The hardware is reached through mechanism #1 for the first 256 bytes, through the
 * hypervisor's own mapping of MMCONFIG beyond. Called under the core's PCI lock: the latch is
 * shared by all CPUs.
 */
#include <asm/x86.h>
#include <pci.h>

#define PCI_CONF1_ADDR		0xcf8
#define PCI_CONF1_DATA		0xcfc
#define PCI_CONF1_ENABLE	(1u << 31)

static u64 mmcfg_base;		/* the hardware window, mapped for the hypervisor */

static volatile void *mmcfg_reg(u16 bdf, unsigned int reg)
{
	return (volatile void *)(uintptr_t)(mmcfg_base + ((u64)bdf << PCI_ECAM_FN_SHIFT) + reg);
}

static void conf1_latch(u16 bdf, unsigned int reg)
{
	u32 addr = PCI_CONF1_ENABLE | (u32)bdf << 8 | (reg & 0xfc);

	asm volatile("outl %0, %w1" : : "a"(addr), "Nd"(PCI_CONF1_ADDR));
}

u32 arch_pci_read(u16 bdf, unsigned int reg, unsigned int size)
{
	unsigned int port = PCI_CONF1_DATA + (reg & 3);
	volatile void *hw;
	u32 v = 0;

	if (reg >= PCI_CFG_LEGACY) {
		if (!mmcfg_base)
			return pci_ones(size);
		hw = mmcfg_reg(bdf, reg);
		return size == 1 ? *(volatile u8 *)hw : size == 2 ? *(volatile u16 *)hw :
		       *(volatile u32 *)hw;
	}
	conf1_latch(bdf, reg);
	if (size == 1)
		asm volatile("inb %w1, %b0" : "=a"(v) : "d"(port));
	else if (size == 2)
		asm volatile("inw %w1, %w0" : "=a"(v) : "d"(port));
	else
		asm volatile("inl %w1, %0" : "=a"(v) : "d"(port));
	return v & pci_ones(size);
}

void arch_pci_write(u16 bdf, unsigned int reg, unsigned int size, u32 value)
{
	unsigned int port = PCI_CONF1_DATA + (reg & 3);
	volatile void *hw;

	if (reg >= PCI_CFG_LEGACY) {
		if (!mmcfg_base)
			return;
		hw = mmcfg_reg(bdf, reg);
		if (size == 1)
			*(volatile u8 *)hw = value;
		else if (size == 2)
			*(volatile u16 *)hw = value;
		else
			*(volatile u32 *)hw = value;
		return;
	}
	conf1_latch(bdf, reg);
	if (size == 1)
		asm volatile("outb %b0, %w1" : : "a"(value), "d"(port));
	else if (size == 2)
		asm volatile("outw %w0, %w1" : : "a"(value), "d"(port));
	else
		asm volatile("outl %0, %w1" : : "a"(value), "d"(port));
}

/* An I/O BAR's ports: inside one port region of the cell (ports are not translated). */
bool arch_pci_io_in_cell(const struct hvcfg_cell_desc *desc, const void *blob, u64 port,
			 u64 size)
{
	const struct hvcfg_pio_region *pio = cfg_pio_regions(blob, desc);
	unsigned int n;

	for (n = 0; n < desc->num_pio_regions; n++)
		if (port >= pio[n].base && size <= pio[n].length &&
		    port - pio[n].base <= pio[n].length - size)
			return true;
	return false;
}

/* --- configuration mechanism #1 ------------------------------------------------------------- */

/*
 * A data access at CFC-CFF of size bytes through this vCPU's latch. Only the enabled latch
 * with register bits 7:2 is passed on (AMD's extended-register bits are never set).
 */
static u32 conf1_data(struct per_cpu *cpu, unsigned int port, unsigned int size, bool write,
		      u32 value)
{
	u32 latch = cpu->arch.pci_addr;
	u16 bdf = (latch >> 8) & 0xffff;
	unsigned int reg = (latch & 0xfc) | (port & 3);

	if (!(latch & PCI_CONF1_ENABLE))
		return pci_ones(size);		/* no configuration cycle: nothing answers */
	return pci_cfg_access(cpu, "config", false, bdf, reg, size, write, value);
}

/*
 * An intercepted port access of 1, 2 or 4 bytes (no string, no REP) in 0xcf8-0xcff; false if
 * it is not an access of the mechanism (the caller treats it as any refused port).
 */
bool x86_pci_pio(struct per_cpu *cpu, unsigned int port, unsigned int size, bool in,
		 uint64_t *rax)
{
	u32 v;

	if (port == PCI_CONF1_ADDR && size == 4) {
		if (in)
			*rax = cpu->arch.pci_addr;	/* a 32-bit IN zero-extends */
		else
			cpu->arch.pci_addr = *rax;
		return true;
	}
	if (port < PCI_CONF1_DATA || port > PCI_CONF1_DATA + 3 || (port & 3) + size > 4)
		return false;
	v = conf1_data(cpu, port, size, !in, *rax);
	if (in)
		*rax = size == 4 ? v : (*rax & ~(u64)pci_ones(size)) | v;
	return true;
}

/* --- the root's MMCONFIG window -------------------------------------------------------------- */

static enum mmio_result mmcfg_mmio(void *arg, struct mmio_access *acc)
{
	return pci_ecam_mmio("MMCONFIG", false, acc);
}

/*
 * The root's window is trapped: the hypervisor maps it for itself (uncached, never
 * executable) and emulates it; no other cell has one.
 */
int x86_pci_root_init(struct cell *root)
{
	u64 base = hv.config->platform.pci_mmconfig_base;
	u64 size = hv.config->platform.pci_mmconfig_size;
	int err;

	if (!size)
		return 0;
	if (size > PCI_ECAM_MAX_SIZE)
		size = PCI_ECAM_MAX_SIZE;	/* domain 0: buses 0-255 */
	err = pt_map(hv_pt, base, base, size, PTE_RW | PTE_PCD | PTE_PWT | PTE_NX, true);
	if (err)
		return err;
	mmcfg_base = base;
	return mmio_register(root, base, size, mmcfg_mmio, NULL);
}
