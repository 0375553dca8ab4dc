// SPDX-License-Identifier: GPL-2.0
/*
 * arm64's translation regimes over the shared LPAE code (arm-common/lpae.c), 4 KiB granule,
 * both starting at level 1: the hypervisor's EL2 stage 1 with a 39-bit VA (one 512-entry
 * table) and the cells' stage 2 with a 40-bit IPA (two concatenated tables), which covers the
 * whole QEMU virt map. Stage-1 attributes are arm64's own.
 */
#include <asm/arm_arch.h>
#include <asm/cfg_arm.h>
#include <asm/cfg_limits.h>


#define BLOCKS_L1_L2	((1U << 1) | (1U << 2))

const struct paging_geometry hv_geometry = {
	.start_level = 1,
	.root_tables = 1,
	.input_bits = ARM64_EL2_VA_BITS,
	.block_levels = BLOCKS_L1_L2,
};

const struct paging_geometry s2_geometry = {
	.start_level = 1,
	.root_tables = 2,
	.input_bits = ARM64_IPA_BITS,
	.block_levels = BLOCKS_L1_L2,
};

/* what the core widens give-backs to is the smallest stage-2 block */
_Static_assert(ARCH_STAGE2_BLOCK_SIZE == LPAE_BLOCK_SIZE(2), "ARCH_STAGE2_BLOCK_SIZE");
/* the granule configgen and the validator assume is the one the core allocates */
_Static_assert(PAGE_SIZE == ARM64_PAGE_SIZE, "ARM64_PAGE_SIZE");

int paging_hv_init(const struct hvcfg_system *sys, u64 **root)
{
	const struct hvcfg_arm_platform *p = cfg_arm_platform(sys);
	u64 *pt = lpae_root_alloc(&hv_geometry);
	int err;

	if (!pt)
		return -ENOMEM;
	err = hv_stage1_map_self(pt, sys);
	if (!err)
		err = hv_stage1_map_device(pt, p->gicd_base, p->gicd_size);
	if (!err)
		err = hv_stage1_map_device(pt, p->gicr_base, p->gicr_size);
	if (!err)
		err = hv_stage1_map_device(pt, p->its_base, p->its_size);
	/* the PCI filter's hardware access (pci.c) */
	if (!err)
		err = hv_stage1_map_device(pt, sys->platform.pci_mmconfig_base,
					   sys->platform.pci_mmconfig_size);
	if (!err && sys->debug_console.type != HVCFG_CONSOLE_NONE)
		err = hv_stage1_map_device(pt, sys->debug_console.base, sys->debug_console.size);
	*root = pt;
	return err;
}
