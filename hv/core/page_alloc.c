// SPDX-License-Identifier: GPL-2.0
/*
 * Page allocator over the hypervisor memory left after image and config: a first-fit bitmap.
 * Allocation happens at setup and on reconfiguration only, so simplicity beats speed. The
 * bitmap lives in the first pages of the pool and is accounted as used. Every CPU may allocate
 * at the same time (on x86 each entering CPU takes its VMCB and host save area in parallel):
 * the bitmap is changed under the pool's lock, or two CPUs could get the same page.
 */
#include <hv.h>

#define BITS_PER_WORD	64

static bool test_bit(const u64 *map, unsigned long n)
{
	return (map[n / BITS_PER_WORD] >> (n % BITS_PER_WORD)) & 1;
}

static void assign(u64 *map, unsigned long start, unsigned long num, bool set)
{
	unsigned long n;

	for (n = start; n < start + num; n++) {
		if (set)
			map[n / BITS_PER_WORD] |= 1ULL << (n % BITS_PER_WORD);
		else
			map[n / BITS_PER_WORD] &= ~(1ULL << (n % BITS_PER_WORD));
	}
}

int page_pool_init(struct page_pool *pool, void *base, unsigned long pages)
{
	unsigned long map_bytes = ALIGN_UP((pages + 7) / 8, 8);
	unsigned long map_pages = ALIGN_UP(map_bytes, PAGE_SIZE) / PAGE_SIZE;

	if (!IS_ALIGNED((uintptr_t)base, PAGE_SIZE) || pages <= map_pages)
		return -ENOMEM;
	pool->base = base;
	pool->pages = pages;
	pool->bitmap = base;
	memset(pool->bitmap, 0, map_pages * PAGE_SIZE);
	assign(pool->bitmap, 0, map_pages, true);
	pool->used = map_pages;
	return 0;
}

/* Returns num zeroed, contiguous pages, or NULL. */
void *page_alloc(struct page_pool *pool, unsigned long num)
{
	unsigned long start = 0, n;
	void *page;

	if (!num)
		return NULL;
	spin_lock(&pool->lock);
	while (start + num <= pool->pages) {
		for (n = 0; n < num && !test_bit(pool->bitmap, start + n); n++)
			;
		if (n == num) {
			assign(pool->bitmap, start, num, true);
			pool->used += num;
			spin_unlock(&pool->lock);
			page = pool->base + start * PAGE_SIZE;
			memset(page, 0, num * PAGE_SIZE);
			return page;
		}
		start += n + 1;
	}
	spin_unlock(&pool->lock);
	return NULL;
}

void page_free(struct page_pool *pool, void *page, unsigned long num)
{
	unsigned long start;

	if (!page || (u8 *)page < pool->base)
		return;
	start = ((u8 *)page - pool->base) / PAGE_SIZE;
	if (start + num > pool->pages)
		return;
	spin_lock(&pool->lock);
	assign(pool->bitmap, start, num, false);
	pool->used -= num;
	spin_unlock(&pool->lock);
}
