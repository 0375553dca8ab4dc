// SPDX-License-Identifier: GPL-2.0
/* Page allocator: accounting, zeroing, contiguity, exhaustion and reuse. */
#include <hv.h>
#include <stdlib.h>
#include <string.h>
#include "test.h"
#include "../core/page_alloc.c"

struct page_pool mem_pool;

int main(void)
{
	unsigned long pages = 64, n;
	u8 *mem = aligned_alloc(PAGE_SIZE, pages * PAGE_SIZE);
	void *a, *b, *c, *all[64];

	memset(mem, 0xaa, pages * PAGE_SIZE);
	CHECK(page_pool_init(&mem_pool, mem + 1, pages) == -ENOMEM);
	CHECK(page_pool_init(&mem_pool, mem, pages) == 0);
	CHECK(mem_pool.used == 1);		/* the bitmap page */
	a = page_alloc(&mem_pool, 1);
	b = page_alloc(&mem_pool, 3);
	CHECK(a && b && a != b);
	CHECK((u8 *)b >= (u8 *)a + PAGE_SIZE);
	CHECK(((u8 *)b)[3 * PAGE_SIZE - 1] == 0 && ((u8 *)a)[0] == 0);
	CHECK(mem_pool.used == 5);
	CHECK(page_alloc(&mem_pool, 0) == NULL);
	CHECK(page_alloc(&mem_pool, pages) == NULL);
	page_free(&mem_pool, a, 1);
	CHECK(mem_pool.used == 4);
	memset(b, 0x55, 3 * PAGE_SIZE);
	c = page_alloc(&mem_pool, 1);
	CHECK(c == a);				/* first fit reuses the hole */
	page_free(&mem_pool, b, 3);
	b = page_alloc(&mem_pool, 2);
	CHECK(b && ((u8 *)b)[100] == 0);	/* handed out zeroed again */
	page_free(&mem_pool, b, 2);
	page_free(&mem_pool, c, 1);
	CHECK(mem_pool.used == 1);
	for (n = 0; n < pages - 1; n++)
		all[n] = page_alloc(&mem_pool, 1);
	CHECK(all[pages - 2] != NULL && mem_pool.used == pages);
	CHECK(page_alloc(&mem_pool, 1) == NULL);
	for (n = 0; n < pages - 1; n++)
		page_free(&mem_pool, all[n], 1);
	CHECK(mem_pool.used == 1);
	page_free(&mem_pool, mem + pages * PAGE_SIZE * 2, 1);	/* foreign: ignored */
	CHECK(mem_pool.used == 1);
	free(mem);
	return test_report("test_page_alloc");
}
