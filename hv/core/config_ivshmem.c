// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Validation of inter-cell links (ivshmem): the system's link table and each descriptor's link
 * ends. Pure functions like config_check.c, compiled wherever it is (the hypervisor, the
 * driver, the host library and tests). The hypervisor maps a link's memory into each end's
 * cell itself, with the permissions of the link's layout, so what is checked here is what the
 * mapping and the emulated function rely on: a link's memory is the link's alone (no root
 * region, no other link, not the hypervisor's), an end names an existing link and peer once,
 * its function and interrupt are the cell's, and its guest ranges collide with nothing else of
 * the cell. Nothing is dereferenced before its array is proven inside the blob.
 *
 * Not compiled on its own: config_check.c includes it.
 */
#include "config_check.h"
#include "ivshmem.h"

#define U64_MAX_VAL	0xffffffffffffffffULL

/* NUL-terminated, NUL-padded (links are compared whole), printable ASCII, not empty. */
static int link_name_ok(const char *name)
{
	uint32_t i, end = 0;

	while (end < HVCFG_NAME_LEN && name[end])
		end++;
	if (!end || end == HVCFG_NAME_LEN)
		return 0;
	for (i = 0; i < HVCFG_NAME_LEN; i++)
		if (i < end ? name[i] < 0x20 || name[i] > 0x7e : name[i] != 0)
			return 0;
	return 1;
}

static int same_name(const char *a, const char *b)
{
	uint32_t i;

	for (i = 0; i < HVCFG_NAME_LEN; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

static int protocol_ok(hvcfg_u16 proto)
{
	return proto == IVSHMEM_PROTO_UNDEFINED || proto == IVSHMEM_PROTO_NET ||
	       (proto >= IVSHMEM_PROTO_USER_FIRST && proto <= IVSHMEM_PROTO_USER_LAST);
}

/* One link on its own: shape and sizes, so that cfg_link_size() cannot overflow afterwards. */
static int check_link(const struct hvcfg_ivshmem_link *l, struct cfg_status *st, uint32_t n)
{
	hvcfg_u64 fixed;

	if (!link_name_ok(l->name))
		return cfg_fail(st, CFG_E_LINK, n);
	if (l->padding0)
		return cfg_fail(st, CFG_E_RESERVED, n);
	if (l->num_peers < 2 || l->num_peers > HVCFG_IVSHMEM_MAX_PEERS || !protocol_ok(l->protocol))
		return cfg_fail(st, CFG_E_LINK, n);
	if (!l->state_size || l->state_size < IVSHMEM_STATE_ENTRY_SIZE * l->num_peers ||
	    l->state_size % CFG_PAGE_SIZE || l->rw_size % CFG_PAGE_SIZE ||
	    l->out_size % CFG_PAGE_SIZE || l->phys_start % CFG_PAGE_SIZE)
		return cfg_fail(st, CFG_E_LINK, n);
	/* state_size is 32-bit: the sum of the first two cannot wrap unless rw_size is huge */
	if (l->rw_size > U64_MAX_VAL - l->state_size)
		return cfg_fail(st, CFG_E_LINK, n);
	fixed = l->state_size + l->rw_size;
	if (l->out_size > cfg_div64(U64_MAX_VAL - fixed, l->num_peers))
		return cfg_fail(st, CFG_E_LINK, n);
	if (!cfg_range_sane(l->phys_start, cfg_link_size(l)))
		return cfg_fail(st, CFG_E_LINK, n);
	return 0;
}

/* Is [start, start + size) free of every root memory region? */
static int off_root_regions(const struct hvcfg_system *sys, hvcfg_u64 start, hvcfg_u64 size)
{
	const struct hvcfg_memory_region *mem = cfg_mem_regions(sys, &sys->root_cell);
	uint32_t n;

	for (n = 0; n < sys->root_cell.num_mem_regions; n++)
		if (cfg_overlaps(start, size, mem[n].phys_start, mem[n].size))
			return 0;
	return 1;
}

int cfg_check_links(const struct hvcfg_system *sys, struct cfg_status *st)
{
	const struct hvcfg_ivshmem_link *links;
	uint32_t n, m;
	int err;

	if (sys->num_ivshmem_links > HVCFG_MAX_IVSHMEM_LINKS)
		return cfg_fail(st, CFG_E_COUNT, sys->num_ivshmem_links);
	if (sys->ivshmem_links_offset % 8 || sys->ivshmem_links_offset > sys->header.total_size ||
	    (hvcfg_u64)sys->num_ivshmem_links * sizeof(*links) >
	    sys->header.total_size - sys->ivshmem_links_offset)
		return cfg_fail(st, CFG_E_OFFSET, sys->ivshmem_links_offset);
	links = cfg_links(sys);
	for (n = 0; n < sys->num_ivshmem_links; n++) {
		const struct hvcfg_ivshmem_link *l = &links[n];

		err = check_link(l, st, n);
		if (err)
			return err;
		if (cfg_overlaps(l->phys_start, cfg_link_size(l), sys->hypervisor_mem_base,
				 sys->hypervisor_mem_size) ||
		    !off_root_regions(sys, l->phys_start, cfg_link_size(l)))
			return cfg_fail(st, CFG_E_LINK_OVERLAP, l->phys_start);
		for (m = 0; m < n; m++) {
			if (same_name(links[m].name, l->name))
				return cfg_fail(st, CFG_E_LINK, n);
			if (cfg_overlaps(l->phys_start, cfg_link_size(l), links[m].phys_start,
					 cfg_link_size(&links[m])))
				return cfg_fail(st, CFG_E_LINK_OVERLAP, l->phys_start);
		}
	}
	return 0;
}

/* Does any interrupt resource entry of the cell own pin? */
static int cell_has_pin(const void *blob, const struct hvcfg_cell_desc *cell, hvcfg_u32 pin)
{
	const struct hvcfg_irqchip *chips = cfg_irqchips(blob, cell);
	uint32_t n;

	for (n = 0; n < cell->num_irqchips; n++)
		if (cfg_irqchip_has(&chips[n], pin))
			return 1;
	return 0;
}

static int is_real_function(const void *blob, const struct hvcfg_cell_desc *cell, hvcfg_u16 bdf)
{
	const struct hvcfg_pci_device *dev = cfg_pci_devices(blob, cell);
	uint32_t n;

	for (n = 0; n < cell->num_pci_devices; n++)
		if (dev[n].domain == 0 && dev[n].bdf == bdf)
			return 1;
	return 0;
}

/* Does [start, start + size) overlap one of the cell's memory regions (guest side)? */
static int over_cell_memory(const void *blob, const struct hvcfg_cell_desc *cell,
			    hvcfg_u64 start, hvcfg_u64 size)
{
	const struct hvcfg_memory_region *mem = cfg_mem_regions(blob, cell);
	uint32_t n;

	for (n = 0; n < cell->num_mem_regions; n++)
		if (cfg_overlaps(start, size, mem[n].guest_start, mem[n].size))
			return 1;
	return 0;
}

/* One end against the cell's own resources and the ends before it. */
static int check_end(const void *blob, const struct hvcfg_cell_desc *cell,
		     const struct hvcfg_ivshmem_end *ends, uint32_t n, struct cfg_status *st)
{
	const struct hvcfg_ivshmem_end *e = &ends[n];
	uint32_t m;

	if (e->padding0)
		return cfg_fail(st, CFG_E_RESERVED, n);
	if (e->peer_id >= HVCFG_IVSHMEM_MAX_PEERS || e->link >= HVCFG_MAX_IVSHMEM_LINKS)
		return cfg_fail(st, CFG_E_END, n);
	if (e->bdf >> 8 || is_real_function(blob, cell, e->bdf))
		return cfg_fail(st, CFG_E_END_PCI, e->bdf);
	if (!cell_has_pin(blob, cell, e->irq))
		return cfg_fail(st, CFG_E_END_IRQ, e->irq);
	if (e->guest_start % CFG_PAGE_SIZE || e->bar0 % CFG_PAGE_SIZE ||
	    (e->bar0 && over_cell_memory(blob, cell, e->bar0, IVSHMEM_REG_SIZE)))
		return cfg_fail(st, CFG_E_END_MEM, n);
	for (m = 0; m < n; m++) {
		if (ends[m].link == e->link && ends[m].peer_id == e->peer_id)
			return cfg_fail(st, CFG_E_END, n);
		if (ends[m].bdf == e->bdf)
			return cfg_fail(st, CFG_E_END_PCI, e->bdf);
		if (e->bar0 && ends[m].bar0 == e->bar0)
			return cfg_fail(st, CFG_E_END_MEM, n);
	}
	return 0;
}

int cfg_check_ends(const void *blob, uint32_t total, const struct hvcfg_cell_desc *cell,
		   const struct cfg_limits *lim, struct cfg_status *st)
{
	const struct hvcfg_ivshmem_end *ends;
	uint32_t n;
	int err;

	if (cell->num_ivshmem_ends && !lim->max_ivshmem_ends)
		return cfg_fail(st, CFG_E_LINK_ARCH, cell->num_ivshmem_ends);
	if (cell->num_ivshmem_ends > HVCFG_MAX_IVSHMEM_ENDS ||
	    cell->num_ivshmem_ends > lim->max_ivshmem_ends)
		return cfg_fail(st, CFG_E_COUNT, cell->num_ivshmem_ends);
	if (cell->ivshmem_ends_offset % 8 || cell->ivshmem_ends_offset > total ||
	    (hvcfg_u64)cell->num_ivshmem_ends * sizeof(*ends) > total - cell->ivshmem_ends_offset)
		return cfg_fail(st, CFG_E_OFFSET, cell->ivshmem_ends_offset);
	ends = cfg_ivshmem_ends(blob, cell);
	for (n = 0; n < cell->num_ivshmem_ends; n++) {
		err = check_end(blob, cell, ends, n, st);
		if (err)
			return err;
	}
	return 0;
}

/*
 * The ends of a descriptor (the root's, or a cell's checked on its own before) against the
 * system's checked link table: the link and peer exist, the link's memory fits the guest
 * space at guest_start and collides with none of the cell's regions, other ends' link memory
 * or BAR0 pages.
 */
int cfg_check_ends_in_system(const struct hvcfg_system *sys, const void *blob,
			     const struct hvcfg_cell_desc *cell, const struct cfg_limits *lim,
			     struct cfg_status *st)
{
	const struct hvcfg_ivshmem_end *ends = cfg_ivshmem_ends(blob, cell), *e;
	const struct hvcfg_ivshmem_link *links = cfg_links(sys);
	hvcfg_u64 size;
	uint32_t n, m;

	for (n = 0; n < cell->num_ivshmem_ends; n++) {
		e = &ends[n];
		if (e->link >= sys->num_ivshmem_links || e->peer_id >= links[e->link].num_peers)
			return cfg_fail(st, CFG_E_END, n);
		size = cfg_link_size(&links[e->link]);
		if (!cfg_below(e->guest_start, size, lim->ipa_limit) ||
		    over_cell_memory(blob, cell, e->guest_start, size))
			return cfg_fail(st, CFG_E_END_MEM, e->guest_start);
		for (m = 0; m < cell->num_ivshmem_ends; m++) {
			if (ends[m].bar0 &&
			    cfg_overlaps(e->guest_start, size, ends[m].bar0, IVSHMEM_REG_SIZE))
				return cfg_fail(st, CFG_E_END_MEM, ends[m].bar0);
			if (m < n && cfg_overlaps(e->guest_start, size, ends[m].guest_start,
						  cfg_link_size(&links[ends[m].link])))
				return cfg_fail(st, CFG_E_END_MEM, e->guest_start);
		}
	}
	return 0;
}
