/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the parts of non-root cell management share: cell.c (the life cycle, its locking and
 * the messages to the cell), cell_stop.c (stopping its CPUs), cell_mem.c (the memory a cell
 * takes from the root and gives back), cell_irq.c (the interrupts it takes) and pci.c (its PCI
 * functions). Only these include it; everything here runs under cell.c's cell_lock.
 */
#ifndef HV_CELL_INTERNAL_H
#define HV_CELL_INTERNAL_H

#include <hv.h>
#include <refusal.h>
#include <pci.h>
#include <ivshmem_core.h>

/* Say on the console what exactly was refused; the root gets the reason (refusal.h). */
#define refuse(reason, fmt, ...) ({							\
	printk("Cell create refused (%d): " fmt, hv_refusal_errno(reason), ##__VA_ARGS__);	\
	hv_refusal_ret(reason);								\
})

/* The reply field and the parked flags are polled this often. */
#define POLL_US		10

static inline void set_cell_state(struct cell *cell, u32 state)
{
	WRITE_ONCE(cell->comm->cell_state, state);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* cell_stop.c: every CPU of the cell parked, bounded (0), or HV_R_CPU_STUCK */
long cell_stop_cpus(struct cell *cell);

/* cell_mem.c: memory ownership */
long cell_mem_copy_blob(u64 phys, void **out, unsigned long *size_out,
			unsigned long *pages_out);
long cell_mem_check_live(const struct hvcfg_cell *cfg);
int cell_mem_take(struct cell *cell);
void cell_mem_give_back(const struct cell *cell, bool report);
void cell_mem_scrub(struct cell *cell, bool loadable_only);
int cell_mem_root_sees_loadable(struct cell *cell, bool visible);
/* cell_mem.c, for ivshmem.c too (any CPU, no cell_lock): link memory, the root's trapped pages */
void cell_mem_zero(u64 phys, u64 size);
void cell_mem_write32(u64 phys, u32 value);
bool cell_mem_root_io_page(u64 page);
int cell_mem_root_trap(u64 page);
void cell_mem_root_untrap(u64 page);

/* cell_irq.c: interrupt ownership (desc_next_irq() is in hv.h: setup.c uses it too) */
long cell_irq_check_live(const struct hvcfg_cell *cfg);
void cell_irq_move(struct cell *from, struct cell *to, const struct cell *cell);

#endif
