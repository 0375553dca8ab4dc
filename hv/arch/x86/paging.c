// SPDX-License-Identifier: GPL-2.0
/*
 * 4-level page tables, for the hypervisor's own address space and for the nested page tables
 * of the cells alike (the entry formats are the same). Table pages come from the hypervisor
 * pool, which is mapped 1:1. 2 MiB pages wherever the range allows; mapping or unmapping part
 * of one splits it, and a table that becomes empty goes back to the pool.
 */
#include <asm/x86.h>

#define LEVELS		4
#define ENTRIES		512
/* what an intermediate entry grants: the leaf decides */
#define TABLE_ATTR	(PTE_P | PTE_RW | PTE_US)

static unsigned int index_of(u64 virt, unsigned int level)
{
	return (virt >> (12 + 9 * (LEVELS - 1 - level))) & (ENTRIES - 1);
}

static u64 level_size(unsigned int level)
{
	return 1ULL << (12 + 9 * (LEVELS - 1 - level));
}

static u64 *table_of(u64 entry)
{
	return hv_phys_to_virt(entry & PTE_ADDR);
}

u64 *pt_alloc_root(void)
{
	u64 *root = page_alloc(&mem_pool, 1);

	if (root)
		memset(root, 0, PAGE_SIZE);
	return root;
}

/* Replace a 2 MiB leaf by a table of 512 4 KiB leaves with the same attributes. */
static int split(u64 *entry)
{
	u64 *table = pt_alloc_root(), attr = *entry & ~PTE_ADDR & ~PTE_PS, base = *entry & PTE_ADDR;
	unsigned int n;

	if (!table)
		return -ENOMEM;
	base &= ~(X86_LARGE_PAGE_SIZE - 1);
	for (n = 0; n < ENTRIES; n++)
		table[n] = (base + n * PAGE_SIZE) | attr;
	*entry = hv_virt_to_phys(table) | TABLE_ATTR;
	return 0;
}

static bool table_empty(const u64 *table)
{
	unsigned int n;

	for (n = 0; n < ENTRIES; n++)
		if (table[n])
			return false;
	return true;
}

/* Set (attr != 0) or clear [virt, virt + size) below table at level. */
static int walk(u64 *table, unsigned int level, u64 virt, u64 phys, u64 size, u64 attr,
		bool large)
{
	u64 step = level_size(level), chunk;
	u64 *entry, *next;
	int err;

	for (; size; virt += chunk, phys += chunk, size -= chunk) {
		entry = &table[index_of(virt, level)];
		chunk = step - (virt & (step - 1));
		if (chunk > size)
			chunk = size;
		if (level == LEVELS - 1 ||
		    (level == LEVELS - 2 && chunk == step && (large || !attr) &&
		     !(phys & (step - 1)) && !(virt & (step - 1)))) {
			if (*entry & PTE_P && !(*entry & PTE_PS) && level < LEVELS - 1)
				pt_free_level(table_of(*entry), level + 1);
			*entry = attr ? phys | attr | (level < LEVELS - 1 ? PTE_PS : 0) : 0;
			continue;
		}
		if (!(*entry & PTE_P)) {
			if (!attr)
				continue;
			next = pt_alloc_root();
			if (!next)
				return -ENOMEM;
			*entry = hv_virt_to_phys(next) | TABLE_ATTR;
		} else if (*entry & PTE_PS) {
			err = split(entry);
			if (err)
				return err;
		}
		next = table_of(*entry);
		err = walk(next, level + 1, virt, phys, chunk, attr, large);
		if (err)
			return err;
		if (!attr && table_empty(next)) {
			*entry = 0;
			page_free(&mem_pool, next, 1);
		}
	}
	return 0;
}

int pt_map(u64 *root, u64 virt, u64 phys, u64 size, u64 attr, bool large)
{
	return walk(root, 0, virt, phys, size, attr | PTE_P, large);
}

int pt_unmap(u64 *root, u64 virt, u64 size)
{
	return walk(root, 0, virt, 0, size, 0, false);
}

void pt_free_level(u64 *table, unsigned int level)
{
	unsigned int n;

	for (n = 0; n < ENTRIES && level < LEVELS - 1; n++)
		if (table[n] & PTE_P && !(table[n] & PTE_PS))
			pt_free_level(table_of(table[n]), level + 1);
	page_free(&mem_pool, table, 1);
}

void pt_free(u64 *root)
{
	if (root)
		pt_free_level(root, 0);
}

/*
 * Where the walk for virt ends: the leaf entry (4 KiB, or a large page at *level < LEVELS - 1)
 * or the first entry that is not present. Splits nothing.
 */
static u64 *walk_end(u64 *root, u64 virt, unsigned int *level)
{
	u64 *table = root, *entry = NULL;

	for (*level = 0; *level < LEVELS; (*level)++) {
		entry = &table[index_of(virt, *level)];
		if (*level == LEVELS - 1 || !(*entry & PTE_P) || *entry & PTE_PS)
			break;
		table = table_of(*entry);
	}
	return entry;
}

/* The 4 KiB leaf entry of virt (splitting nothing), or NULL. */
u64 *pt_leaf(u64 *root, u64 virt)
{
	unsigned int level;
	u64 *entry = walk_end(root, virt, &level);

	return level == LEVELS - 1 ? entry : NULL;
}

/* The present leaf of virt, any page size: its entry, and virt's physical address in *phys. */
u64 pt_translate(u64 *root, u64 virt, u64 *phys)
{
	unsigned int level;
	u64 entry = *walk_end(root, virt, &level), size = level_size(level);

	if (entry & PTE_P)
		*phys = ((entry & PTE_ADDR) & ~(size - 1)) + (virt & (size - 1));
	return entry & PTE_P ? entry : 0;
}

/* NPT leaf attributes of a memory region's flags; nested walks are user accesses (U=1). */
u64 npt_attr(u64 flags)
{
	u64 attr = PTE_US;

	if (flags & HVCFG_MEM_WRITE)
		attr |= PTE_RW;
	if (!(flags & HVCFG_MEM_EXECUTE))
		attr |= PTE_NX;
	if (flags & HVCFG_MEM_IO)
		attr |= PTE_PCD | PTE_PWT;
	return attr;
}
