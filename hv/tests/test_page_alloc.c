// SPDX-License-Identifier: GPL-2.0
/*
 * Page allocator: accounting, zeroing, contiguity, exhaustion and reuse; and CPUs allocating
 * at the same time (B5: on x86 every entering CPU takes its VMCB and host save page at once,
 * and an unlocked allocator once gave two CPUs the same page).
 */
#include <hv.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "test.h"
#include "../core/page_alloc.c"

#define THREADS		4
#define PER_THREAD	512
#define ROUNDS		20

struct page_pool mem_pool;
static void *got[THREADS][PER_THREAD];

static void *alloc_many(void *arg)
{
	void **out = arg;
	unsigned int n;

	for (n = 0; n < PER_THREAD; n++)
		out[n] = page_alloc(&mem_pool, 1);
	return NULL;
}

static void *free_many(void *arg)
{
	void **pages = arg;
	unsigned int n;

	for (n = 0; n < PER_THREAD; n++)
		page_free(&mem_pool, pages[n], 1);
	return NULL;
}

static int cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(void *const *)a, y = (uintptr_t)*(void *const *)b;

	return x < y ? -1 : x > y;
}

static void run_threads(void *(*fn)(void *))
{
	pthread_t t[THREADS];
	unsigned int n;

	for (n = 0; n < THREADS; n++)
		pthread_create(&t[n], NULL, fn, got[n]);
	for (n = 0; n < THREADS; n++)
		pthread_join(t[n], NULL);
}

/* Several threads allocate single pages at once: every page handed out once, all counted. */
static void concurrent(void)
{
	unsigned long pages = THREADS * PER_THREAD + 1, n, dup, null;
	u8 *mem = aligned_alloc(PAGE_SIZE, pages * PAGE_SIZE);
	void **all = &got[0][0];
	unsigned int round;

	CHECK(page_pool_init(&mem_pool, mem, pages) == 0);
	for (round = 0, dup = 0, null = 0; round < ROUNDS; round++) {
		run_threads(alloc_many);
		qsort(all, THREADS * PER_THREAD, sizeof(*all), cmp_ptr);
		for (n = 0; n < THREADS * PER_THREAD; n++) {
			null += !all[n];
			dup += n && all[n] && all[n] == all[n - 1];
		}
		run_threads(free_many);
	}
	CHECK(dup == 0);			/* no page given to two CPUs */
	CHECK(null == 0);			/* none lost either */
	CHECK(mem_pool.used == 1);
	free(mem);
}

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
	concurrent();
	return test_report("test_page_alloc");
}
