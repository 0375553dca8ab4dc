// SPDX-License-Identifier: GPL-2.0
/*
 * LPAE tables (arch/arm-common/lpae.c) on the host, arm64's stage-2 geometry: revocation
 * (arch_cell_revoke) makes every root entry invalid and nothing reachable, restoring gives
 * back exactly the tables that were there, and the tables are all freed afterwards.
 */
#include <hv.h>
#include <stdlib.h>
#include <string.h>
#include "test.h"
#include "../core/page_alloc.c"
#include "../arch/arm-common/lpae.c"

#define POOL_PAGES	64
#define ROOT_ENTRIES	(2 * LPAE_ENTRIES)
#define GIB		(1ULL << 30)

struct page_pool mem_pool;
unsigned int test_tlb_flushes;

/* as arm64's paging.c: 40-bit IPA, two concatenated level-1 tables */
static const struct paging_geometry s2 = {
	.start_level = 1,
	.root_tables = 2,
	.input_bits = 40,
	.block_levels = (1U << 1) | (1U << 2),
};

static unsigned int valid_entries(const u64 *root)
{
	unsigned int n, count = 0;

	for (n = 0; n < ROOT_ENTRIES; n++)
		count += root[n] & PTE_VALID;
	return count;
}

int main(void)
{
	u8 *mem = aligned_alloc(PAGE_SIZE, POOL_PAGES * PAGE_SIZE);
	u64 attr = lpae_s2_attr(HVCFG_MEM_READ | HVCFG_MEM_WRITE), *root, snapshot[ROOT_ENTRIES];
	unsigned long used0;

	CHECK(page_pool_init(&mem_pool, mem, POOL_PAGES) == 0);
	used0 = mem_pool.used;
	root = lpae_root_alloc(&s2);
	CHECK(root != NULL);
	/* pages (tables down to level 3), a 1 GiB block, and an entry of the second root table */
	CHECK(lpae_map(&s2, root, 0, 0x40000000, 0x201000, attr) == 0);
	CHECK(lpae_map(&s2, root, GIB, 0x80000000, GIB, attr) == 0);
	CHECK(lpae_map(&s2, root, 600 * GIB, 0x90000000, 0x200000, attr) == 0);
	CHECK(valid_entries(root) == 3);
	CHECK(lpae_walk(&s2, root, 0x200000, 3) && *lpae_walk(&s2, root, 0x200000, 3) & PTE_VALID);
	memcpy(snapshot, root, sizeof(snapshot));

	/* revoked: no valid root entry, no table reachable by a walk, nothing allocated */
	CHECK(lpae_root_revoke(&s2, root) == 3);
	CHECK(valid_entries(root) == 0);
	CHECK(lpae_walk(&s2, root, 0x200000, 3) == NULL);
	CHECK(lpae_walk(&s2, root, 600 * GIB, 2) == NULL);
	CHECK(lpae_root_revoke(&s2, root) == 0);	/* twice: nothing more to revoke */
	CHECK(test_tlb_flushes == 0);			/* the caller flushes, once */

	/* restored: exactly the entries that were there, the tables below untouched */
	CHECK(lpae_root_restore(&s2, root) == 3);
	CHECK(!memcmp(snapshot, root, sizeof(snapshot)));
	CHECK(lpae_root_restore(&s2, root) == 0);
	CHECK(*lpae_walk(&s2, root, 0x200000, 3) == (0x40200000 | attr | PTE_PAGE));

	/* an entry invalid before revocation stays invalid after the restore */
	root[5] = 0;
	CHECK(lpae_root_revoke(&s2, root) == 3 && lpae_root_restore(&s2, root) == 3);
	CHECK(root[5] == 0 && !memcmp(snapshot, root, sizeof(snapshot)));

	lpae_root_free(&s2, root);
	CHECK(mem_pool.used == used0);			/* every table back */
	free(mem);
	return test_report("test_lpae");
}
