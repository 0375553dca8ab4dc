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

#define S1_AP_RW	(1ULL << 6)	/* AP[1] is RES1 at Hyp */
#define S1_AP_RO	(3ULL << 6)
#define S1_ATTR(idx)	((u64)(idx) << 2)
#define BLOCKS_L1_L2	((1U << 1) | (1U << 2))

const struct paging_geometry hyp_geometry = {
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

u64 paging_s1_attr(int type)
{
	if (type == PT_S1_DEVICE)
		return PTE_AF | S1_AP_RW | S1_ATTR(2) | PTE_XN;
	if (type == PT_S1_CODE)
		return PTE_AF | PTE_SH_INNER | S1_AP_RO | S1_ATTR(0);
	return PTE_AF | PTE_SH_INNER | S1_AP_RW | S1_ATTR(0) | PTE_XN;
}

extern u8 __rw_start[];

static int map_device(u64 *root, u64 base, u64 size)
{
	if (!size)
		return 0;
	return lpae_map(&hyp_geometry, root, base, base, ALIGN_UP(size, PAGE_SIZE),
			paging_s1_attr(PT_S1_DEVICE));
}

int paging_hv_init(const struct hvcfg_system *sys, u64 **root)
{
	const struct hvcfg_arm_platform *p = cfg_arm_platform(sys);
	u64 base = sys->hypervisor_mem_base, code = hv_virt_to_phys(__rw_start) - base;
	u64 *pt = lpae_root_alloc(&hyp_geometry);
	int err;

	if (!pt)
		return -ENOMEM;
	/* W^X: code and relocated constants read-only, the rest never executable */
	err = lpae_map(&hyp_geometry, pt, base, base, code, paging_s1_attr(PT_S1_CODE));
	if (!err)
		err = lpae_map(&hyp_geometry, pt, base + code, base + code,
			       sys->hypervisor_mem_size - code, paging_s1_attr(PT_S1_NORMAL));
	if (!err)
		err = map_device(pt, p->gicd_base, p->gicd_size);
	if (!err)
		err = map_device(pt, p->gicc_base, p->gicc_size);
	if (!err)
		err = map_device(pt, p->gich_base, p->gich_size);
	if (!err && sys->debug_console.type != HVCFG_CONSOLE_NONE)
		err = map_device(pt, sys->debug_console.base, sys->debug_console.size);
	*root = pt;
	return err;
}
