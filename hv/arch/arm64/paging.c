// SPDX-License-Identifier: GPL-2.0
/*
 * Translation tables, 4 KiB granule, for both the hypervisor's own EL2 stage 1 and the cells'
 * stage 2. Both start at level 1: EL2 has a 39-bit VA (one 512-entry table), stage 2 a 40-bit
 * IPA (two concatenated tables), which covers the whole QEMU virt map.
 */
#include <asm/arm64.h>
#include "../arm-common/include/asm/cfg_arm.h"

#define PTE_VALID	1UL
#define PTE_TABLE	3UL
#define PTE_AF		(1UL << 10)
#define PTE_SH_INNER	(3UL << 8)
#define PTE_XN		(1UL << 54)
#define PTE_ADDR_MASK	0x0000fffffffff000UL
#define S1_AP_RW	(1UL << 6)	/* AP[1] is RES1 at EL2 */
#define S1_AP_RO	(3UL << 6)
#define S1_ATTR(idx)	((u64)(idx) << 2)
#define S2_MEM_NORMAL	(0xfUL << 2)	/* outer and inner write-back */
#define S2_MEM_DEVICE	(0x1UL << 2)	/* Device-nGnRE */
#define S2_AP_R		(1UL << 6)
#define S2_AP_W		(2UL << 6)

u64 paging_s1_attr(int type)
{
	if (type == PT_S1_DEVICE)
		return PTE_AF | S1_AP_RW | S1_ATTR(2) | PTE_XN;
	if (type == PT_S1_CODE)
		return PTE_AF | PTE_SH_INNER | S1_AP_RO | S1_ATTR(0);
	return PTE_AF | PTE_SH_INNER | S1_AP_RW | S1_ATTR(0) | PTE_XN;
}

u64 paging_s2_attr(u64 flags)
{
	u64 attr = PTE_AF;

	if (flags & HVCFG_MEM_IO)
		attr |= S2_MEM_DEVICE;
	else
		attr |= S2_MEM_NORMAL | PTE_SH_INNER;
	if (flags & HVCFG_MEM_READ)
		attr |= S2_AP_R;
	if (flags & HVCFG_MEM_WRITE)
		attr |= S2_AP_W;
	if (!(flags & HVCFG_MEM_EXECUTE))
		attr |= PTE_XN;
	return attr;
}

extern u8 __rw_start[];

static u64 *next_level(u64 *entry)
{
	u64 *table;

	if ((*entry & 3) == PTE_TABLE)
		return (u64 *)(uintptr_t)(*entry & PTE_ADDR_MASK);
	if (*entry & PTE_VALID)
		return NULL;	/* a block is already there: overlapping request */
	table = page_alloc(&mem_pool, 1);
	if (!table)
		return NULL;
	dsb(ishst);
	*entry = (uintptr_t)table | PTE_TABLE;
	return table;
}

/* Free a table (level 2 or 3) and everything below it; defer_tlb: flush before reuse. */
void paging_free_table(u64 entry, unsigned int level, bool flush)
{
	u64 *table = (u64 *)(uintptr_t)(entry & PTE_ADDR_MASK);
	unsigned int n;

	if (flush) {
		/* nobody may still walk through it when its page is reused */
		dsb(ishst);
		asm volatile("tlbi vmalls12e1is" : : : "memory");
		dsb(ish);
	}
	if (level < 3)
		for (n = 0; n < 512; n++)
			if ((table[n] & 3) == PTE_TABLE)
				paging_free_table(table[n], level + 1, false);
	page_free(&mem_pool, table, 1);
}

/* Identity or not, virt/phys/size must be page aligned; uses the largest blocks that fit. */
int paging_map(u64 *root, u64 virt, u64 phys, u64 size, u64 desc_attr)
{
	while (size) {
		u64 *table = root;
		unsigned int level;

		for (level = 1; ; level++) {
			unsigned int shift = 39 - 9 * level;
			u64 block = 1UL << shift;
			u64 idx = (virt >> shift) & (level == 1 ? 1023 : 511);

			if (level == 3 || (IS_ALIGNED(virt | phys, block) && size >= block)) {
				u64 old = table[idx];

				table[idx] = phys | desc_attr |
					     (level == 3 ? PTE_TABLE : PTE_VALID);
				/* a block replacing a table: the table's pages go back to the pool */
				if (level < 3 && (old & 3) == PTE_TABLE)
					paging_free_table(old, level + 1, true);
				virt += block;
				phys += block;
				size -= block;
				break;
			}
			table = next_level(&table[idx]);
			if (!table)
				return -ENOMEM;
		}
	}
	dsb(ishst);
	return 0;
}

/* Two concatenated level-1 tables, aligned to their size as VTTBR_EL2 requires. */
u64 *paging_s2_root_alloc(void)
{
	u64 *pages = page_alloc(&mem_pool, 3);

	if (!pages)
		return NULL;
	if (IS_ALIGNED((uintptr_t)pages, 2 * PAGE_SIZE)) {
		page_free(&mem_pool, pages + 2 * PAGE_SIZE / 8, 1);
		return pages;
	}
	page_free(&mem_pool, pages, 1);
	return pages + PAGE_SIZE / 8;
}

static int map_device(u64 *root, u64 base, u64 size)
{
	return paging_map(root, base, base, ALIGN_UP(size, PAGE_SIZE),
			  paging_s1_attr(PT_S1_DEVICE));
}

int paging_hv_init(const struct hvcfg_system *sys, u64 **root)
{
	const struct hvcfg_arm_platform *p = cfg_arm_platform(sys);
	u64 base = sys->hypervisor_mem_base, code = (uintptr_t)__rw_start - base;
	u64 *pt = page_alloc(&mem_pool, 1);
	int err;

	if (!pt)
		return -ENOMEM;
	/* W^X: code and relocated constants read-only, the rest never executable */
	err = paging_map(pt, base, base, code, paging_s1_attr(PT_S1_CODE));
	if (!err)
		err = paging_map(pt, base + code, base + code, sys->hypervisor_mem_size - code,
				 paging_s1_attr(PT_S1_NORMAL));
	if (!err)
		err = map_device(pt, p->gicd_base, p->gicd_size);
	if (!err)
		err = map_device(pt, p->gicr_base, p->gicr_size);
	if (!err && p->its_size)
		err = map_device(pt, p->its_base, p->its_size);
	if (!err && sys->debug_console.type != HVCFG_CONSOLE_NONE)
		err = map_device(pt, sys->debug_console.base, sys->debug_console.size);
	*root = pt;
	return err;
}

/* A block into a table of the next level with the same mappings (for a partial unmap). */
static int split_block(u64 *entry, unsigned int level)
{
	u64 child = 1UL << (39 - 9 * (level + 1)), attr = *entry & ~PTE_ADDR_MASK & ~3UL;
	u64 phys = *entry & PTE_ADDR_MASK;
	u64 *table = page_alloc(&mem_pool, 1);
	unsigned int n;

	if (!table)
		return -ENOMEM;
	for (n = 0; n < 512; n++)
		table[n] = (phys + n * child) | attr | (level + 1 == 3 ? PTE_TABLE : PTE_VALID);
	dsb(ishst);
	*entry = (uintptr_t)table | PTE_TABLE;
	return 0;
}

static int unmap_level(u64 *table, unsigned int level, u64 virt, u64 size)
{
	unsigned int shift = 39 - 9 * level;
	u64 block = 1UL << shift, end = virt + size, next, *entry;
	int err;

	for (; virt < end; virt = next) {
		next = (virt & ~(block - 1)) + block;
		if (next > end)
			next = end;
		entry = &table[(virt >> shift) & (level == 1 ? 1023 : 511)];
		if (!(*entry & PTE_VALID))
			continue;
		if (IS_ALIGNED(virt, block) && next - virt == block) {
			u64 old = *entry;

			*entry = 0;
			if (level < 3 && (old & 3) == PTE_TABLE)
				paging_free_table(old, level + 1, true);
			continue;
		}
		if ((*entry & 3) != PTE_TABLE) {
			err = split_block(entry, level);
			if (err)
				return err;
		}
		err = unmap_level((u64 *)(uintptr_t)(*entry & PTE_ADDR_MASK), level + 1, virt,
				  next - virt);
		if (err)
			return err;
	}
	return 0;
}

/* Remove [virt, virt + size) (page aligned); blocks partly inside are split. */
int paging_unmap(u64 *root, u64 virt, u64 size)
{
	int err = unmap_level(root, 1, virt, size);

	dsb(ishst);
	return err;
}

/* A stage-2 table tree and its concatenated root back to the pool. */
void paging_s2_free(u64 *root)
{
	unsigned int n;

	if (!root)
		return;
	for (n = 0; n < 1024; n++)
		if ((root[n] & 3) == PTE_TABLE)
			paging_free_table(root[n], 2, false);
	page_free(&mem_pool, root, 2);
}
