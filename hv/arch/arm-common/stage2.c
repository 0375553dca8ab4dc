// SPDX-License-Identifier: GPL-2.0
/*
 * The cells' stage 2 on arm64 and ARMv7 (asm/stage2.h): built from a cell's regions, changed
 * by the core's region hand-over, revoked as the fallback when a cell's CPUs do not answer
 * (docs/security.md "Revocation fallback").
 */
#include <asm/arm_arch.h>
#include <asm/lpae.h>
#include <asm/stage2.h>

int arm_cell_s2_init(struct cell *cell)
{
	const struct hvcfg_memory_region *mem = cfg_mem_regions(cell->blob, cell->desc);
	extern struct hv_console hv_console;
	unsigned int n;
	int err;

	cell->arch.s2_root = lpae_root_alloc(&s2_geometry);
	if (!cell->arch.s2_root)
		return -ENOMEM;
	for (n = 0; n < cell->desc->num_mem_regions; n++) {
		/* the comm region is a hypervisor page */
		u64 phys = mem[n].flags & HVCFG_MEM_COMM_REGION ? hv_virt_to_phys(cell->comm) :
			   mem[n].phys_start;

		if (mem[n].flags & HVCFG_MEM_COMM_REGION && !cell->comm)
			continue;
		err = lpae_map(&s2_geometry, cell->arch.s2_root, mem[n].guest_start, phys,
			       mem[n].size, lpae_s2_attr(mem[n].flags));
		if (err)
			return err;
	}
	/* the root may read the console ring in place, nothing else of the hypervisor */
	if (cell == &hv.root && hv.config->flags & HVCFG_SYS_VIRTUAL_DEBUG_CONSOLE) {
		u64 con = hv_virt_to_phys(&hv_console);

		err = lpae_map(&s2_geometry, cell->arch.s2_root, con, con,
			       ALIGN_UP(sizeof(hv_console), PAGE_SIZE),
			       lpae_s2_attr(HVCFG_MEM_READ));
		if (err)
			return err;
	}
	cell->arch.vttbr = hv_virt_to_phys(cell->arch.s2_root) | ((u64)cell->id << 48);
	return 0;
}

/*
 * Cells (by id) whose stage 2 is revoked: a cell may be able to block the hypervisor's event
 * interrupt, no GIC priority blocks a stage-2 abort. Changed only under the management lock.
 */
static bool revoked[CONFIG_MAX_CELLS];

int arch_map_region(struct cell *cell, u64 guest, u64 phys, u64 size, u64 flags)
{
	/* a revoked root entry is not a table to lpae_map(): it would be overwritten */
	if (revoked[cell->id])
		return -EBUSY;
	return lpae_map(&s2_geometry, cell->arch.s2_root, guest, phys, size, lpae_s2_attr(flags));
}

int arch_unmap_region(struct cell *cell, u64 guest, u64 size)
{
	if (revoked[cell->id])
		return -EBUSY;
	return lpae_unmap(&s2_geometry, cell->arch.s2_root, guest, size);
}

/*
 * From a root CPU, interrupts masked: the cell's root entries become invalid, then the TLB
 * flush of the cell; after it no CPU holds a translation of the cell, so each cell CPU's next
 * access takes a stage-2 abort into the hypervisor, where its park_request is honoured. The
 * hypervisor's own mapping of the cell's memory is untouched: a cell CPU inside the
 * hypervisor finishes its exit, then parks.
 */
bool arch_cell_revoke(struct cell *cell)
{
	if (cell == &hv.root || !cell->arch.s2_root)
		return false;
	if (!revoked[cell->id]) {
		lpae_root_revoke(&s2_geometry, cell->arch.s2_root);
		revoked[cell->id] = true;
	}
	arch_flush_cell_tlb(cell);
	return true;
}

/* Every CPU of the cell is parked: nothing walks its stage 2, the entries come back whole. */
void arch_cell_unrevoke(struct cell *cell)
{
	if (cell == &hv.root || !revoked[cell->id])
		return;
	lpae_root_restore(&s2_geometry, cell->arch.s2_root);
	revoked[cell->id] = false;
}

void arm_cell_s2_free(struct cell *cell)
{
	arch_cell_unrevoke(cell);
	lpae_root_free(&s2_geometry, cell->arch.s2_root);
	cell->arch.s2_root = NULL;
}
