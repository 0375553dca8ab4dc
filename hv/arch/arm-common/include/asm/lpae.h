/* SPDX-License-Identifier: GPL-2.0 */
/*
 * LPAE translation tables with the 4 KiB granule (arm-common/lpae.c), the long-descriptor format
 * arm64 and ARMv7 (LPAE) share. What differs between the regimes that use it (arm64 stage 2,
 * ARMv7 stage 2, an EL2/Hyp stage 1) is only the geometry, given as data, in the spirit of
 * Bao's page_table_dscr: the start level, how many tables the root concatenates, how many input
 * address bits are translated and at which levels blocks may be used. Levels always run down to
 * 3 (4 KiB pages); level n translates LPAE_LEVEL_SHIFT(n) and up.
 */
#ifndef HV_ARM_COMMON_LPAE_H
#define HV_ARM_COMMON_LPAE_H

#define LPAE_ENTRIES		512
#define LPAE_LAST_LEVEL		3
#define LPAE_LEVEL_SHIFT(l)	(PAGE_SHIFT + 9 * (LPAE_LAST_LEVEL - (l)))
#define LPAE_BLOCK_SIZE(l)	(1ULL << LPAE_LEVEL_SHIFT(l))

#define PTE_VALID		1ULL
#define PTE_TABLE		3ULL	/* levels 0-2: next table; level 3: page */
#define PTE_PAGE		3ULL
#define PTE_TYPE_MASK		3ULL
#define PTE_AF			(1ULL << 10)
#define PTE_SH_INNER		(3ULL << 8)
#define PTE_XN			(1ULL << 54)
#define PTE_ADDR_MASK		0x0000fffffffff000ULL

struct paging_geometry {
	unsigned int start_level;	/* level of the root table, 0..3 */
	unsigned int root_tables;	/* concatenated tables of the root: 1, 2, 4, 8 or 16 */
	unsigned int input_bits;	/* input address bits translated (IPA or VA size) */
	unsigned int block_levels;	/* bit n set: level n may hold block descriptors */
};

/* The root: zeroed, aligned to its size as the translation table base register requires. */
u64 *lpae_root_alloc(const struct paging_geometry *g);
/* The root and every table below it back to the pool. */
void lpae_root_free(const struct paging_geometry *g, u64 *root);
/* Map [virt, virt + size) to phys (page aligned) with the largest blocks allowed that fit. */
int lpae_map(const struct paging_geometry *g, u64 *root, u64 virt, u64 phys, u64 size,
	     u64 attr);
/* Remove [virt, virt + size) (page aligned); blocks partly inside are split. */
int lpae_unmap(const struct paging_geometry *g, u64 *root, u64 virt, u64 size);
/* The descriptor translating virt at level (a table's entry), or NULL if no table reaches it. */
u64 *lpae_walk(const struct paging_geometry *g, u64 *root, u64 virt, unsigned int level);
/*
 * Revocation: every valid entry of the root becomes invalid in place (the caller flushes the
 * TLBs), marked so that lpae_root_restore() makes exactly those valid again. Nothing is
 * allocated: the hardware ignores every other bit of an invalid descriptor, so the entry
 * keeps its own copy. Both return how many entries they changed.
 */
unsigned int lpae_root_revoke(const struct paging_geometry *g, u64 *root);
unsigned int lpae_root_restore(const struct paging_geometry *g, u64 *root);
/* Stage-2 descriptor attributes for a region's HVCFG_MEM_* flags. */
u64 lpae_s2_attr(u64 flags);

#endif
