// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Stage-1 identity map with 4 KiB granule and 39-bit addresses (walks start at level 1).
 * With the MMU off every data access is Device memory: no unaligned accesses, exclusives not
 * guaranteed, no caching. So the boot CPU maps the low 4 GiB as Device, its own image as Normal
 * write-back memory and the comm region as Normal, then turns the MMU and caches on.
 * remap_range() changes live mappings later (e.g. shared memory found at run time inside the
 * Device window) with break-before-make.
 *
 * The tables come from the free RAM after the image, [__image_end, __pt_pool_end) (inmate.lds:
 * at most 16 pages, at least 5, within the cell's loadable RAM), one page at a time from the
 * top, so a small cell pays for what its image maps only. The Jailhouse-API heap (alloc(),
 * lib/compat.c) grows from the bottom of the same RAM; neither may pass the other. The whole
 * range is mapped Normal with the image.
 */
#include "internal.h"

#define ENTRIES			512

#define DESC_VALID		(1UL << 0)
#define DESC_TABLE		(1UL << 1)	/* level 1/2: table; level 3: page */
#define DESC_ATTR(idx)		((u64)(idx) << 2)
#define DESC_SH_INNER		(3UL << 8)
#define DESC_AF			(1UL << 10)
#define DESC_PXN		(1UL << 53)
#define DESC_UXN		(1UL << 54)
#define DESC_ADDR_MASK		0x0000fffffffff000UL

/* MAIR attribute indexes */
#define ATTR_DEVICE		0	/* Device-nGnRE */
#define ATTR_NORMAL		1	/* Normal, inner/outer write-back read/write-allocate */
#define MAIR_VALUE		((0x04UL << (8 * ATTR_DEVICE)) | (0xffUL << (8 * ATTR_NORMAL)))

#define TCR_T0SZ(bits)		((64UL - (bits)) << 0)
#define TCR_IRGN0_WBWA		(1UL << 8)
#define TCR_ORGN0_WBWA		(1UL << 10)
#define TCR_SH0_INNER		(3UL << 12)
#define TCR_EPD1		(1UL << 23)
#define TCR_IPS_SHIFT		32

#define SCTLR_M			(1UL << 0)
#define SCTLR_A			(1UL << 1)
#define SCTLR_C			(1UL << 2)
#define SCTLR_I			(1UL << 12)
#define SCTLR_WXN		(1UL << 19)

#define DEVICE_WINDOW		(4UL << 30)

extern u64 __pt_pool_end[];
static u64 *root;
static unsigned int tables_used;
static bool pool_exhausted;
struct mmu_regs mmu_regs;

/* The lowest page table so far: where the heap must stop. */
static uintptr_t tables_bottom(void)
{
	return (uintptr_t)__pt_pool_end - (uintptr_t)tables_used * PAGE_SIZE;
}

unsigned long heap_limit(void)
{
	return tables_bottom();
}

/*
 * A page about to be written with the MMU off (non-cacheable): whoever used it before may have
 * left lines of it in the data cache that would resurface once the caches are on.
 */
static void dcache_clean_inval_page(u64 *page)
{
	u64 line = 4UL << ((read_sysreg(ctr_el0) >> 16) & 0xf);
	uintptr_t addr = (uintptr_t)page;

	for (; addr < (uintptr_t)page + PAGE_SIZE; addr += line)
		__asm__ volatile("dc civac, %0" : : "r"(addr) : "memory");
	dsb(sy);
}

/* The caller fills every entry. */
static u64 *alloc_table(void)
{
	u64 *table;

	if (tables_bottom() - PAGE_SIZE < ((heap_pos + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1))) {
		if (!pool_exhausted && mmu_enabled())
			printk("mmu: no RAM left for a page table (%u in use below 0x%llx, heap up "
			       "to 0x%llx)\n", tables_used, (u64)(uintptr_t)__pt_pool_end,
			       (u64)heap_pos);
		pool_exhausted = true;
		return NULL;
	}
	tables_used++;
	table = (u64 *)tables_bottom();
	if (!mmu_enabled())
		dcache_clean_inval_page(table);
	return table;
}

bool mmu_tables_exhausted(void)
{
	return pool_exhausted;
}

static unsigned int level_shift(unsigned int level)
{
	return 12 + 9 * (3 - level);
}

static u64 type_attrs(enum map_type type)
{
	switch (type) {
	case MAP_NORMAL:
		return DESC_ATTR(ATTR_NORMAL) | DESC_SH_INNER | DESC_AF;
	case MAP_NORMAL_NOEXEC:
		return DESC_ATTR(ATTR_NORMAL) | DESC_SH_INNER | DESC_AF | DESC_PXN | DESC_UXN;
	default:
		return DESC_ATTR(ATTR_DEVICE) | DESC_AF | DESC_PXN | DESC_UXN;
	}
}

static u64 leaf_desc(u64 addr, u64 attrs, unsigned int level)
{
	return addr | attrs | DESC_VALID | (level == 3 ? DESC_TABLE : 0);
}

static bool remapping;	/* map_level may replace live entries (remap_range) */

/*
 * Break-before-make: a live entry is invalidated and its TLB entries flushed before the new one
 * is written, so no CPU ever holds two translations of one address.
 */
static void set_entry(u64 *entry, u64 desc)
{
	if (mmu_enabled() && (*entry & DESC_VALID)) {
		*entry = 0;
		dsb(ishst);
		__asm__ volatile("tlbi vmalle1is" : : : "memory");
		dsb(ish);
		isb();
	}
	*entry = desc;
	dsb(ishst);
}

/* Replace a block by a table of the same mapping one level down. */
static u64 *split_block(u64 *entry, unsigned int level)
{
	u64 block = *entry, size = 1UL << level_shift(level + 1);
	u64 base = block & DESC_ADDR_MASK & ~((1UL << level_shift(level)) - 1);
	u64 attrs = block & ~DESC_ADDR_MASK & ~(DESC_VALID | DESC_TABLE);
	u64 *table;
	unsigned int i;

	table = alloc_table();
	if (!table)
		return NULL;
	for (i = 0; i < ENTRIES; i++)
		table[i] = (block & DESC_VALID) ? leaf_desc(base + i * size, attrs, level + 1) : 0;
	set_entry(entry, (u64)(uintptr_t)table | DESC_TABLE | DESC_VALID);
	return table;
}

static int map_level(u64 *table, unsigned int level, u64 addr, u64 end, u64 attrs)
{
	u64 size = 1UL << level_shift(level);

	while (addr < end) {
		u64 *entry = &table[(addr >> level_shift(level)) & (ENTRIES - 1)];
		u64 next = (addr & ~(size - 1)) + size;
		u64 *sub;

		if (next > end)
			next = end;
		if (level == 3 || (!(addr & (size - 1)) && next - addr == size)) {
			if (mmu_enabled() && (*entry & DESC_VALID) && !remapping)
				return -1;	/* would need break-before-make */
			set_entry(entry, leaf_desc(addr, attrs, level));
		} else {
			if ((*entry & (DESC_VALID | DESC_TABLE)) == (DESC_VALID | DESC_TABLE))
				sub = (u64 *)(uintptr_t)(*entry & DESC_ADDR_MASK);
			else if (mmu_enabled() && (*entry & DESC_VALID) && !remapping)
				return -1;
			else
				sub = split_block(entry, level);
			if (!sub || map_level(sub, level + 1, addr, next, attrs))
				return -1;
		}
		addr = next;
	}
	return 0;
}

bool mmu_enabled(void)
{
	return read_sysreg(sctlr_el1) & SCTLR_M;
}

int map_range(u64 addr, u64 size, enum map_type type)
{
	u64 end = (addr + size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	int err;

	addr &= ~(PAGE_SIZE - 1);
	if (end > (1UL << 39) || end <= addr)
		return -1;
	if (!root)
		return 0;	/* the MMU stays off (mmu=off): nothing to map */
	err = map_level(root, 1, addr, end, type_attrs(type));
	if (mmu_enabled()) {
		dsb(ishst);
		__asm__ volatile("tlbi vmalle1is" : : : "memory");
		dsb(ish);
		isb();
	}
	return err;
}

int remap_range(u64 addr, u64 size, enum map_type type)
{
	u64 start = (uintptr_t)__image_start, end = (uintptr_t)__pt_pool_end, flags;
	int err;

	/*
	 * An entry being replaced is briefly invalid: never the one we run or keep state in, and
	 * no interrupt handler may run meanwhile (a block may cover the GIC or the UART).
	 */
	if (addr < end && addr + size > start)
		return -1;
	flags = local_irq_save();
	remapping = true;
	err = map_range(addr, size, type);
	remapping = false;
	local_irq_restore(flags);
	return err;
}

static u64 tcr_value(void)
{
	u64 parange = read_sysreg(id_aa64mmfr0_el1) & 0xf;

	if (parange > 5)	/* 52-bit output addresses need FEAT_LPA descriptors */
		parange = 5;
	return TCR_T0SZ(39) | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | TCR_SH0_INNER | TCR_EPD1 |
	       (parange << TCR_IPS_SHIFT);
}

void mmu_init(u64 comm_addr)
{
	u64 start = (uintptr_t)__image_start, end = (uintptr_t)__pt_pool_end;
	unsigned int i;
	int err;

	root = alloc_table();
	for (i = 0; i < ENTRIES; i++)
		root[i] = 0;
	err = map_range(0, DEVICE_WINDOW, MAP_DEVICE);
	err |= map_range(start, end - start, MAP_NORMAL);
	if (comm_addr)
		err |= map_range(comm_addr, PAGE_SIZE, MAP_NORMAL_NOEXEC);
	if (err)
		return;	/* stay with the MMU off; the banner says so */

	mmu_regs.mair = MAIR_VALUE;
	mmu_regs.tcr = tcr_value();
	mmu_regs.ttbr0 = (uintptr_t)root;
	mmu_regs.sctlr = (read_sysreg(sctlr_el1) | SCTLR_M | SCTLR_C | SCTLR_I) &
			 ~(SCTLR_A | SCTLR_WXN);
	/* Secondary CPUs read mmu_regs with their MMU off: it must be in memory, not cache. */
	dsb(sy);
	mmu_enable(&mmu_regs);
}
