// SPDX-License-Identifier: GPL-2.0
/*
 * LPAE translation tables, 4 KiB granule, over a geometry given as data (asm/lpae.h): the
 * cells' stage 2 on arm64 and ARMv7, and whatever stage-1 regime of the hypervisor uses the
 * same descriptors. Tables come from the hypervisor's page pool; descriptors hold physical
 * addresses (hv_virt_to_phys), the walk goes through the hypervisor's virtual ones.
 */
#include <asm/arm_arch.h>
#include <asm/lpae.h>

#define S2_MEM_NORMAL	(0xfULL << 2)	/* outer and inner write-back */
#define S2_MEM_DEVICE	(0x1ULL << 2)	/* Device-nGnRE */
#define S2_AP_R		(1ULL << 6)
#define S2_AP_W		(2ULL << 6)

u64 lpae_s2_attr(u64 flags)
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

static bool is_table(u64 entry, unsigned int level)
{
	return level < LPAE_LAST_LEVEL && (entry & PTE_TYPE_MASK) == PTE_TABLE;
}

static u64 *table_of(u64 entry)
{
	return hv_phys_to_virt(entry & PTE_ADDR_MASK);
}

/* Index of virt's entry in a table of the level: the root may concatenate several tables. */
static unsigned int entry_index(const struct paging_geometry *g, unsigned int level, u64 virt)
{
	unsigned int entries = LPAE_ENTRIES * (level == g->start_level ? g->root_tables : 1);

	return (virt >> LPAE_LEVEL_SHIFT(level)) & (entries - 1);
}

static bool block_allowed(const struct paging_geometry *g, unsigned int level)
{
	return level == LPAE_LAST_LEVEL || (g->block_levels >> level) & 1;
}

static u64 leaf_type(unsigned int level)
{
	return level == LPAE_LAST_LEVEL ? PTE_PAGE : PTE_VALID;
}

static u64 *next_level(u64 *entry, unsigned int level)
{
	u64 *table;

	if (is_table(*entry, level))
		return table_of(*entry);
	if (*entry & PTE_VALID)
		return NULL;	/* a block is already there: overlapping request */
	table = page_alloc(&mem_pool, 1);
	if (!table)
		return NULL;
	dsb(ishst);
	*entry = hv_virt_to_phys(table) | PTE_TABLE;
	return table;
}

/* Free a table of the level and everything below it; flush: nobody may still walk it. */
static void free_table(u64 entry, unsigned int level, bool flush)
{
	u64 *table = table_of(entry);
	unsigned int n;

	if (flush)
		arm_tlb_flush_guests();
	if (level < LPAE_LAST_LEVEL)
		for (n = 0; n < LPAE_ENTRIES; n++)
			if (is_table(table[n], level))
				free_table(table[n], level + 1, false);
	page_free(&mem_pool, table, 1);
}

/* Set a leaf; a block replacing a table gives the table's pages back to the pool. */
static void set_leaf(u64 *entry, unsigned int level, u64 desc)
{
	u64 old = *entry;

	*entry = desc;
	if (is_table(old, level))
		free_table(old, level + 1, true);
}

int lpae_map(const struct paging_geometry *g, u64 *root, u64 virt, u64 phys, u64 size,
	     u64 attr)
{
	while (size) {
		u64 *table = root;
		unsigned int level;

		for (level = g->start_level; ; level++) {
			u64 block = LPAE_BLOCK_SIZE(level);
			u64 *entry = &table[entry_index(g, level, virt)];

			if (block_allowed(g, level) && IS_ALIGNED(virt | phys, block) &&
			    size >= block) {
				set_leaf(entry, level, phys | attr | leaf_type(level));
				virt += block;
				phys += block;
				size -= block;
				break;
			}
			table = next_level(entry, level);
			if (!table)
				return -ENOMEM;
		}
	}
	dsb(ishst);
	return 0;
}

u64 *lpae_walk(const struct paging_geometry *g, u64 *root, u64 virt, unsigned int level)
{
	u64 *table = root;
	unsigned int l;

	for (l = g->start_level; l < level; l++) {
		u64 entry = table[entry_index(g, l, virt)];

		if (!is_table(entry, l))
			return NULL;
		table = table_of(entry);
	}
	return &table[entry_index(g, level, virt)];
}

/* A block into a table of the next level with the same mappings (for a partial unmap). */
static int split_block(u64 *entry, unsigned int level)
{
	u64 child = LPAE_BLOCK_SIZE(level + 1), attr = *entry & ~PTE_ADDR_MASK & ~PTE_TYPE_MASK;
	u64 phys = *entry & PTE_ADDR_MASK;
	u64 *table = page_alloc(&mem_pool, 1);
	unsigned int n;

	if (!table)
		return -ENOMEM;
	for (n = 0; n < LPAE_ENTRIES; n++)
		table[n] = (phys + n * child) | attr | leaf_type(level + 1);
	dsb(ishst);
	*entry = hv_virt_to_phys(table) | PTE_TABLE;
	return 0;
}

static int unmap_level(const struct paging_geometry *g, u64 *table, unsigned int level,
		       u64 virt, u64 size)
{
	u64 block = LPAE_BLOCK_SIZE(level), end = virt + size, next, *entry;
	int err;

	for (; virt < end; virt = next) {
		next = (virt & ~(block - 1)) + block;
		if (next > end)
			next = end;
		entry = &table[entry_index(g, level, virt)];
		if (!(*entry & PTE_VALID))
			continue;
		if (IS_ALIGNED(virt, block) && next - virt == block) {
			set_leaf(entry, level, 0);
			continue;
		}
		if (!is_table(*entry, level)) {
			err = split_block(entry, level);
			if (err)
				return err;
		}
		err = unmap_level(g, table_of(*entry), level + 1, virt, next - virt);
		if (err)
			return err;
	}
	return 0;
}

int lpae_unmap(const struct paging_geometry *g, u64 *root, u64 virt, u64 size)
{
	int err = unmap_level(g, root, g->start_level, virt, size);

	dsb(ishst);
	return err;
}

/* Software bit (58, ignored by the walk in any descriptor): "valid before revocation". */
#define PTE_REVOKED	(1ULL << 58)

/*
 * Break without make: the descriptors stay in memory, only their valid bit goes, so a walk
 * faults at the root; the tables below are untouched and come back whole.
 */
unsigned int lpae_root_revoke(const struct paging_geometry *g, u64 *root)
{
	unsigned int n, count = 0;

	for (n = 0; n < LPAE_ENTRIES * g->root_tables; n++) {
		if (!(root[n] & PTE_VALID))
			continue;
		WRITE_ONCE(root[n], (root[n] & ~PTE_VALID) | PTE_REVOKED);
		count++;
	}
	dsb(ishst);
	return count;
}

/* Invalid to valid: no TLB holds a translation that faulted, no maintenance needed. */
unsigned int lpae_root_restore(const struct paging_geometry *g, u64 *root)
{
	unsigned int n, count = 0;

	for (n = 0; n < LPAE_ENTRIES * g->root_tables; n++) {
		if ((root[n] & (PTE_VALID | PTE_REVOKED)) != PTE_REVOKED)
			continue;
		WRITE_ONCE(root[n], (root[n] & ~PTE_REVOKED) | PTE_VALID);
		count++;
	}
	dsb(ishst);
	return count;
}

/* Concatenated tables are aligned to their total size: allocate twice, keep the aligned part. */
u64 *lpae_root_alloc(const struct paging_geometry *g)
{
	unsigned long n = g->root_tables, head;
	u8 *pages;

	if (n == 1)
		return page_alloc(&mem_pool, 1);
	pages = page_alloc(&mem_pool, 2 * n - 1);
	if (!pages)
		return NULL;
	head = (n - hv_virt_to_phys(pages) / PAGE_SIZE % n) % n;
	if (head)
		page_free(&mem_pool, pages, head);
	if (n - 1 - head)
		page_free(&mem_pool, pages + (head + n) * PAGE_SIZE, n - 1 - head);
	return (u64 *)(pages + head * PAGE_SIZE);
}

void lpae_root_free(const struct paging_geometry *g, u64 *root)
{
	unsigned int n;

	if (!root)
		return;
	for (n = 0; n < LPAE_ENTRIES * g->root_tables; n++)
		if (is_table(root[n], g->start_level))
			free_table(root[n], g->start_level + 1, false);
	page_free(&mem_pool, root, g->root_tables);
}
