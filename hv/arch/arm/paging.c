// SPDX-License-Identifier: GPL-2.0
/*
 * ARMv7's translation regimes over the shared LPAE code (arm-common/lpae.c), 4 KiB granule,
 * both starting at level 1: Hyp stage 1 with a 32-bit VA (HTCR.T0SZ 0: a 4-entry level-1
 * table, allocated as a page) mapping the hypervisor and its devices 1:1, and the cells' stage
 * 2 with a 40-bit IPA (two concatenated level-1 tables). Memory attributes of stage 1 index
 * HMAIR0 (entry.S); stage 2 carries them in the descriptor (lpae_s2_attr()).
 */
#include <asm/arm_arch.h>
#include <asm/cfg_arm.h>

#define BLOCKS_L1_L2	((1U << 1) | (1U << 2))

const struct paging_geometry hv_geometry = {
	.start_level = 1,
	.root_tables = 1,
	.input_bits = 32,
	.block_levels = BLOCKS_L1_L2,
};

const struct paging_geometry s2_geometry = {
	.start_level = 1,
	.root_tables = 2,
	.input_bits = ARM32_IPA_BITS,
	.block_levels = BLOCKS_L1_L2,
};

_Static_assert(ARCH_STAGE2_BLOCK_SIZE == LPAE_BLOCK_SIZE(2), "ARCH_STAGE2_BLOCK_SIZE");
_Static_assert(PAGE_SIZE == ARM32_PAGE_SIZE, "ARM32_PAGE_SIZE");

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
		err = hv_stage1_map_device(pt, p->gicc_base, p->gicc_size);
	if (!err)
		err = hv_stage1_map_device(pt, p->gich_base, p->gich_size);
	if (!err && sys->debug_console.type != HVCFG_CONSOLE_NONE)
		err = hv_stage1_map_device(pt, sys->debug_console.base, sys->debug_console.size);
	*root = pt;
	return err;
}
