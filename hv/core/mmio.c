// SPDX-License-Identifier: GPL-2.0
/* Per-cell table of emulated MMIO regions; the arch decodes the access, the core routes it. */
#include <hv.h>

int mmio_register(struct cell *cell, u64 start, u64 size, mmio_handler_t handler, void *arg)
{
	struct mmio_region *r;

	if (cell->num_mmio >= CELL_MAX_MMIO)
		return -ENOMEM;
	r = &cell->mmio[cell->num_mmio++];
	r->start = start;
	r->size = size;
	r->handler = handler;
	r->arg = arg;
	return 0;
}

enum mmio_result mmio_dispatch(struct cell *cell, u64 addr, struct mmio_access *acc)
{
	unsigned int n;

	for (n = 0; n < cell->num_mmio; n++) {
		struct mmio_region *r = &cell->mmio[n];

		if (addr >= r->start && addr - r->start < r->size) {
			/* accesses must be naturally aligned: no register straddles two */
			if (addr & (acc->size - 1))
				return MMIO_ERROR;
			acc->addr = addr - r->start;
			return r->handler(r->arg, acc);
		}
	}
	return MMIO_UNHANDLED;
}
