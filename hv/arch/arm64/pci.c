// SPDX-License-Identifier: GPL-2.0
/*
 * arm64's side of the PCI filter (hv/core/pci.c decides): the ECAM window of the platform
 * (hvcfg_platform.pci_mmconfig_base/size) is the hypervisor's, mapped at EL2 as device memory
 * (paging.c). The root's window is trapped: never in its stage 2, even where a region of its
 * configuration covers it, every access emulated (functions of other cells read all ones). A
 * non-root cell with PCI functions or link ends gets a window of its own at the same guest address, bus 0
 * only (1 MiB): its functions answer at their real device and function numbers, through the
 * filter; everything else reads all ones (the cell's Linux scans the bus), writes dropped.
 * Memory BARs are identity (PCI = CPU address), I/O ports appear at pci_io_base + port.
 */
#include <asm/arm_arch.h>
#include <asm/cfg_arm.h>
#include <pci.h>

static volatile void *ecam_reg(u16 bdf, unsigned int reg)
{
	return (volatile void *)(uintptr_t)(hv.config->platform.pci_mmconfig_base +
					    ((u64)bdf << PCI_ECAM_FN_SHIFT) + reg);
}

/* Beyond the window's buses nothing answers (the validator keeps the window mapped). */
static bool ecam_has(u16 bdf)
{
	return ((u64)bdf << PCI_ECAM_FN_SHIFT) < hv.config->platform.pci_mmconfig_size;
}

u32 arch_pci_read(u16 bdf, unsigned int reg, unsigned int size)
{
	volatile void *hw = ecam_reg(bdf, reg);

	if (!ecam_has(bdf))
		return pci_ones(size);
	return size == 1 ? *(volatile u8 *)hw : size == 2 ? *(volatile u16 *)hw :
	       *(volatile u32 *)hw;
}

void arch_pci_write(u16 bdf, unsigned int reg, unsigned int size, u32 value)
{
	volatile void *hw = ecam_reg(bdf, reg);

	if (!ecam_has(bdf))
		return;
	if (size == 1)
		*(volatile u8 *)hw = value;
	else if (size == 2)
		*(volatile u16 *)hw = value;
	else
		*(volatile u32 *)hw = value;
	dsb(sy);	/* the write reaches the function before anything that depends on it */
}

/* An I/O BAR's ports: inside the platform's PCI I/O window, whose CPU addresses the cell maps. */
bool arch_pci_io_in_cell(const struct hvcfg_cell_desc *desc, const void *blob, u64 port,
			 u64 size)
{
	const struct hvcfg_arm_platform *p = cfg_arm_platform(hv.config);

	if (!p->pci_io_size || port >= p->pci_io_size || size > p->pci_io_size - port)
		return false;
	return pci_mem_in_cell(desc, blob, p->pci_io_base + port, size);
}

static enum mmio_result ecam_mmio(void *arg, struct mmio_access *acc)
{
	return pci_ecam_mmio("ECAM", this_cpu()->cell != &hv.root, acc);
}

/*
 * The root: its window leaves its stage 2 (a region of its configuration may cover it, e.g.
 * all of the device space) and is trapped. A non-root cell with functions: bus 0 trapped.
 */
int arm_pci_cell_init(struct cell *cell)
{
	u64 base = hv.config->platform.pci_mmconfig_base;
	u64 size = hv.config->platform.pci_mmconfig_size;
	int err;

	if (!size)
		return 0;
	if (size > PCI_ECAM_MAX_SIZE)
		size = PCI_ECAM_MAX_SIZE;
	if (cell == &hv.root) {
		err = lpae_unmap(&s2_geometry, cell->arch.s2_root, base, size);
		return err ? err : mmio_register(cell, base, size, ecam_mmio, NULL);
	}
	if (!cell->desc->num_pci_devices && !cell->desc->num_ivshmem_ends)
		return 0;
	return mmio_register(cell, base, PCI_ECAM_BUS_SIZE, ecam_mmio, NULL);
}
