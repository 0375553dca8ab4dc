// SPDX-License-Identifier: GPL-2.0
/*
 * The memory of non-root cells: a cell's regions leave the root's stage 2 while the cell holds
 * them and come back scrubbed; its loadable regions are the root's to write while the cell is
 * stopped. The blob itself is copied out of memory that must really be the root's. All of it
 * runs under cell.c's cell_lock.
 */
#include <cell_internal.h>

/*
 * The arch's temporary window is one for all CPUs: cell management and the links (state
 * table, output sections) take turns. The root's stage 2 changes for cells' memory and for the
 * links' register pages (ivshmem.c) likewise. Innermost locks: nothing else is taken inside.
 */
static spinlock_t temp_lock;
static spinlock_t root_s2_lock;

static bool ranges_overlap(u64 a, u64 a_size, u64 b, u64 b_size)
{
	return a < b + b_size && b < a + a_size;
}

static const struct hvcfg_memory_region *regions(const struct cell *cell)
{
	return cfg_mem_regions(cell->blob, cell->desc);
}

/* Regions that come out of the root's stage 2 while the cell exists. */
static bool takes_from_root(const struct hvcfg_memory_region *r)
{
	return !(r->flags & (HVCFG_MEM_COMM_REGION | HVCFG_MEM_ROOTSHARED));
}

static const struct hvcfg_memory_region *root_region_covering(u64 phys, u64 size)
{
	const struct hvcfg_memory_region *mem = regions(&hv.root);
	unsigned int n;

	for (n = 0; n < hv.root.desc->num_mem_regions; n++)
		if (phys >= mem[n].phys_start && size <= mem[n].size &&
		    phys - mem[n].phys_start <= mem[n].size - size)
			return &mem[n];
	return NULL;
}

/* The cell (other than except) holding root memory in [phys, phys + size), if any. */
static const struct hvcfg_memory_region *held_by_cell(u64 phys, u64 size,
						       const struct cell *except,
						       const struct cell **holder)
{
	const struct hvcfg_memory_region *mem;
	unsigned int id, n;

	for (id = 1; id < CONFIG_MAX_CELLS; id++) {
		const struct cell *cell = hv.cells[id];

		if (!cell || cell == except)
			continue;
		mem = regions(cell);
		for (n = 0; n < cell->desc->num_mem_regions; n++)
			if (!(mem[n].flags & HVCFG_MEM_COMM_REGION) &&
			    ranges_overlap(phys, size, mem[n].phys_start, mem[n].size)) {
				if (holder)
					*holder = cell;
				return &mem[n];
			}
	}
	return NULL;
}

/*
 * Give [start, end) back to the root, except what other cells still hold: recursion over the
 * cells' regions in order, each split leaves at most two pieces to look at further.
 */
static int root_map_except(u64 start, u64 end, u64 flags, unsigned int id, unsigned int reg)
{
	const struct hvcfg_memory_region *mem;
	int err;

	if (start >= end)
		return 0;
	for (; id < CONFIG_MAX_CELLS; id++, reg = 0) {
		const struct cell *cell = hv.cells[id];

		if (!cell || cell == &hv.root)
			continue;
		mem = regions(cell);
		for (; reg < cell->desc->num_mem_regions; reg++) {
			const struct hvcfg_memory_region *r = &mem[reg];

			if (!takes_from_root(r) || !ranges_overlap(start, end - start, r->phys_start,
							     r->size))
				continue;
			err = root_map_except(start, r->phys_start > start ? r->phys_start : start,
					      flags, id, reg + 1);
			if (!err && r->phys_start + r->size < end)
				err = root_map_except(r->phys_start + r->size, end, flags, id,
						      reg + 1);
			return err;
		}
	}
	return arch_map_region(&hv.root, start, start, end - start, flags);
}

/*
 * Map [phys, phys + size) into the root again where its config has it. The range is widened to
 * the arch's smallest stage-2 block so that blocks split when the cell took its memory are
 * merged again and the page tables they needed go back to the pool.
 */
static int root_give_back(u64 phys, u64 size)
{
	const struct hvcfg_memory_region *mem = regions(&hv.root);
	u64 start = phys & ~(ARCH_STAGE2_BLOCK_SIZE - 1);
	u64 end = ALIGN_UP(phys + size, ARCH_STAGE2_BLOCK_SIZE), s, e;
	unsigned int n;
	int err;

	for (n = 0; n < hv.root.desc->num_mem_regions; n++) {
		s = mem[n].phys_start > start ? mem[n].phys_start : start;
		e = mem[n].phys_start + mem[n].size < end ? mem[n].phys_start + mem[n].size : end;
		if (s >= e)
			continue;
		err = root_map_except(s, e, mem[n].flags, 1, 0);
		if (err)
			return err;
	}
	return 0;
}

void cell_mem_zero(u64 phys, u64 size)
{
	unsigned long max = arch_temp_pages() * PAGE_SIZE, chunk;
	void *p;

	for (; size; phys += chunk, size -= chunk) {
		chunk = size < max ? size : max;
		spin_lock(&temp_lock);
		p = arch_map_temp(phys, chunk / PAGE_SIZE);
		arch_zero_pages(p, chunk);
		arch_clean_dcache(p, chunk);
		arch_unmap_temp(chunk / PAGE_SIZE);
		spin_unlock(&temp_lock);
	}
}

/* One 32-bit word of RAM outside the hypervisor, seen by cells that map it uncached too. */
void cell_mem_write32(u64 phys, u32 value)
{
	u8 *p;

	spin_lock(&temp_lock);
	p = arch_map_temp(phys & ~(u64)(PAGE_SIZE - 1), 1);
	p += phys & (PAGE_SIZE - 1);
	WRITE_ONCE(*(u32 *)p, value);
	arch_clean_dcache(p, sizeof(value));
	arch_unmap_temp(1);
	spin_unlock(&temp_lock);
}

/* Is the page inside one of the root's I/O regions, and held by no cell? */
bool cell_mem_root_io_page(u64 page)
{
	const struct hvcfg_memory_region *r;
	bool io;

	/* a destroyed cell is freed only after its give-back, which takes this lock */
	spin_lock(&root_s2_lock);
	r = root_region_covering(page, PAGE_SIZE);
	io = r && r->flags & HVCFG_MEM_IO && !held_by_cell(page, PAGE_SIZE, NULL, NULL);
	spin_unlock(&root_s2_lock);
	return io;
}

/* A page of the root's I/O space out of its stage 2 (trapped), or back as its config has it. */
int cell_mem_root_trap(u64 page)
{
	int err;

	spin_lock(&root_s2_lock);
	err = arch_unmap_region(&hv.root, page, PAGE_SIZE);
	arch_flush_cell_tlb(&hv.root);
	spin_unlock(&root_s2_lock);
	return err;
}

void cell_mem_root_untrap(u64 page)
{
	const struct hvcfg_memory_region *r;

	spin_lock(&root_s2_lock);
	r = root_region_covering(page, PAGE_SIZE);
	/* page by page: a widened give-back could map the trapped ECAM window back */
	if (r && !held_by_cell(page, PAGE_SIZE, NULL, NULL) &&
	    arch_map_region(&hv.root, page, page, PAGE_SIZE, r->flags))
		pr_err("out of memory returning page 0x%llx to the root\n", page);
	arch_flush_cell_tlb(&hv.root);
	spin_unlock(&root_s2_lock);
}

/* Scrub what the cell leaves behind: RAM only, not preserved, not still shared with another. */
void cell_mem_scrub(struct cell *cell, bool loadable_only)
{
	const struct hvcfg_memory_region *mem = regions(cell);
	unsigned int n;

	for (n = 0; n < cell->desc->num_mem_regions; n++) {
		const struct hvcfg_memory_region *r = &mem[n];

		if (r->flags & (HVCFG_MEM_COMM_REGION | HVCFG_MEM_IO | HVCFG_MEM_PRESERVED |
				HVCFG_MEM_ROOTSHARED) ||
		    (loadable_only && !(r->flags & HVCFG_MEM_LOADABLE)) ||
		    held_by_cell(r->phys_start, r->size, cell, NULL))
			continue;
		cell_mem_zero(r->phys_start, r->size);
	}
}

/*
 * Copy the blob out of the root's RAM, which must really be the root's. Its size is read once:
 * the root may change the header meanwhile, so only *size_out, never the copy's total_size,
 * says how much was copied.
 */
long cell_mem_copy_blob(u64 phys, void **out, unsigned long *size_out, unsigned long *pages_out)
{
	const struct hvcfg_memory_region *r;
	unsigned long pages, off = phys & (PAGE_SIZE - 1);
	struct hvcfg_header hdr;
	const u8 *src;
	void *copy;

	if (!root_region_covering(phys, sizeof(hdr)) ||
	    held_by_cell(phys, sizeof(hdr), NULL, NULL))
		return refuse(HV_R_BLOB_PLACE, "blob at 0x%llx is not in the root's memory\n", phys);
	spin_lock(&temp_lock);
	src = arch_map_temp(phys - off, 1 + (off + sizeof(hdr) > PAGE_SIZE));
	memcpy(&hdr, src + off, sizeof(hdr));
	arch_unmap_temp(1 + (off + sizeof(hdr) > PAGE_SIZE));
	spin_unlock(&temp_lock);
	pages = (off + hdr.total_size + PAGE_SIZE - 1) / PAGE_SIZE;
	if (hdr.total_size < sizeof(hdr) || pages >= arch_temp_pages())
		return refuse(HV_R_BLOB_SIZE, "blob of %u bytes: size not acceptable\n",
			      hdr.total_size);
	r = root_region_covering(phys, hdr.total_size);
	if (!r || r->flags & HVCFG_MEM_IO || held_by_cell(phys, hdr.total_size, NULL, NULL))
		return refuse(HV_R_BLOB_PLACE, "blob at 0x%llx+0x%x is not in the root's RAM\n", phys,
			      hdr.total_size);
	*pages_out = ALIGN_UP(hdr.total_size, PAGE_SIZE) / PAGE_SIZE;
	copy = page_alloc(&mem_pool, *pages_out);
	if (!copy)
		return refuse(HV_R_NO_MEMORY, "no hypervisor memory for the blob (%lu pages)\n",
			      *pages_out);
	spin_lock(&temp_lock);
	src = arch_map_temp(phys - off, pages);
	memcpy(copy, src + off, hdr.total_size);
	arch_unmap_temp(pages);
	spin_unlock(&temp_lock);
	*out = copy;
	*size_out = hdr.total_size;
	return 0;
}

/* A new cell's regions against the cells that exist: another may share, never take, them. */
long cell_mem_check_live(const struct hvcfg_cell *cfg)
{
	const struct hvcfg_cell_desc *desc = &cfg->cell;
	const struct hvcfg_memory_region *mem = cfg_mem_regions(cfg, desc), *other;
	const struct cell *holder = NULL;
	unsigned int n;

	for (n = 0; n < desc->num_mem_regions; n++) {
		const struct hvcfg_memory_region *r = &mem[n];

		if (r->flags & HVCFG_MEM_COMM_REGION)
			continue;
		other = held_by_cell(r->phys_start, r->size, NULL, &holder);
		if (other && !(other->flags & r->flags & HVCFG_MEM_SHARED))
			return refuse(HV_R_REGION_HELD, "region 0x%llx is held by cell %u\n",
				      r->phys_start, holder->id);
	}
	return 0;
}

/*
 * Take the cell's memory out of the root's stage 2, stopping at the first failure (out of
 * page-table memory). Either way the root's TLB is flushed; after a failure the caller gives
 * back with cell_mem_give_back() once the cell is no longer in hv.cells.
 */
int cell_mem_take(struct cell *cell)
{
	const struct hvcfg_memory_region *mem = regions(cell);
	unsigned int n;
	int err = 0;

	spin_lock(&root_s2_lock);
	for (n = 0; n < cell->desc->num_mem_regions && !err; n++)
		if (takes_from_root(&mem[n]))
			err = arch_unmap_region(&hv.root, mem[n].phys_start, mem[n].size);
	arch_flush_cell_tlb(&hv.root);
	spin_unlock(&root_s2_lock);
	return err;
}

/*
 * Give the memory of a cell no longer in hv.cells back to the root, all of it that other cells
 * do not hold, and flush the root's TLB. A region that cannot be (out of page-table memory) is
 * named on the console if report; a failed create has said so already.
 */
void cell_mem_give_back(const struct cell *cell, bool report)
{
	const struct hvcfg_memory_region *mem = regions(cell);
	unsigned int n;

	spin_lock(&root_s2_lock);
	for (n = 0; n < cell->desc->num_mem_regions; n++)
		if (takes_from_root(&mem[n]) && root_give_back(mem[n].phys_start, mem[n].size) &&
		    report)
			pr_err("Cell \"%s\": out of memory returning 0x%llx to the root\n",
			       cell->desc->name, mem[n].phys_start);
	arch_flush_cell_tlb(&hv.root);
	spin_unlock(&root_s2_lock);
}

/* Map the cell's loadable regions into the root (identity, never executable), or take them away. */
int cell_mem_root_sees_loadable(struct cell *cell, bool visible)
{
	const struct hvcfg_memory_region *mem = regions(cell);
	unsigned int n;
	int err = 0;

	spin_lock(&root_s2_lock);
	for (n = 0; n < cell->desc->num_mem_regions && !err; n++) {
		if (!(mem[n].flags & HVCFG_MEM_LOADABLE) || !takes_from_root(&mem[n]))
			continue;
		err = visible ? arch_map_region(&hv.root, mem[n].phys_start, mem[n].phys_start,
						mem[n].size, mem[n].flags & ~HVCFG_MEM_EXECUTE) :
				arch_unmap_region(&hv.root, mem[n].phys_start, mem[n].size);
	}
	spin_unlock(&root_s2_lock);
	return err;
}
