// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * A cell blob against the system blob it was made for: pure, like config_check.c, and the
 * hypervisor's create path runs exactly this before its live checks (CPUs parked, memory and
 * interrupts not held by another cell, a free slot). Compiled into the hypervisor and the host
 * library; not into the driver, which keeps no system blob once enabled.
 */
#include "config_check.h"
#include "sha256.h"

/* The root region that holds all of [phys, phys + size), if any. */
static const struct hvcfg_memory_region *root_region(const struct hvcfg_system *sys, hvcfg_u64 phys,
						     hvcfg_u64 size)
{
	const struct hvcfg_memory_region *mem = cfg_mem_regions(sys, &sys->root_cell);
	uint32_t n;

	for (n = 0; n < sys->root_cell.num_mem_regions; n++)
		if (phys >= mem[n].phys_start && size <= mem[n].size &&
		    phys - mem[n].phys_start <= mem[n].size - size)
			return &mem[n];
	return 0;
}

/*
 * Is every interrupt pin of the cell one of the root's (same controller, same pin)? The root's
 * entries passed the arch's checks against the system, so the cell's pins are valid there too.
 * Returns the first pin that is not, or -1.
 */
static int64_t irq_not_root(const struct hvcfg_system *sys, const void *cell_blob,
			    const struct hvcfg_cell_desc *cell)
{
	const struct hvcfg_irqchip *chips = cfg_irqchips(cell_blob, cell);
	uint32_t n, bit;

	for (n = 0; n < cell->num_irqchips; n++)
		for (bit = 0; bit < HVCFG_IRQCHIP_PINS; bit++)
			if ((chips[n].pin_bitmap[bit / 64] >> (bit % 64)) & 1 &&
			    !cfg_desc_has_irq(sys, &sys->root_cell, chips[n].address, chips[n].id,
					      chips[n].pin_base + bit))
				return chips[n].pin_base + bit;
	return -1;
}

/*
 * Is every port of the cell one of the root's? The root's regions may be split and may touch:
 * a port range is covered when each of its ports lies in some root region. Returns the first
 * port that is not, or -1. Bounded: every step moves past one root region.
 */
static int64_t pio_not_root(const struct hvcfg_system *sys, const void *cell_blob,
			    const struct hvcfg_cell_desc *cell)
{
	const struct hvcfg_pio_region *pio = cfg_pio_regions(cell_blob, cell);
	const struct hvcfg_pio_region *root = cfg_pio_regions(sys, &sys->root_cell);
	uint64_t port, end;
	uint32_t n, r;

	for (n = 0; n < cell->num_pio_regions; n++) {
		port = pio[n].base;
		end = (uint64_t)pio[n].base + pio[n].length;
		while (port < end) {
			for (r = 0; r < sys->root_cell.num_pio_regions; r++)
				if (port >= root[r].base &&
				    port < (uint64_t)root[r].base + root[r].length)
					break;
			if (r == sys->root_cell.num_pio_regions)
				return (int64_t)port;
			port = (uint64_t)root[r].base + root[r].length;
		}
	}
	return -1;
}

/* Is every PCI device of the cell one of the root's? Returns the first BDF that is not, or -1. */
static int64_t pci_not_root(const struct hvcfg_system *sys, const void *cell_blob,
			    const struct hvcfg_cell_desc *cell)
{
	const struct hvcfg_pci_device *dev = cfg_pci_devices(cell_blob, cell);
	const struct hvcfg_pci_device *root = cfg_pci_devices(sys, &sys->root_cell);
	uint32_t n, r;

	for (n = 0; n < cell->num_pci_devices; n++) {
		for (r = 0; r < sys->root_cell.num_pci_devices; r++)
			if (root[r].domain == dev[n].domain && root[r].bdf == dev[n].bdf)
				break;
		if (r == sys->root_cell.num_pci_devices)
			return dev[n].bdf;
	}
	return -1;
}

/* The cell's PCI devices as the arch judges them against the system (their IOMMU units). */
static int pci_in_system(const struct hvcfg_system *sys, const void *cell_blob,
			 const struct hvcfg_cell_desc *cell, struct cfg_status *st)
{
	const struct hvcfg_pci_device *dev = cfg_pci_devices(cell_blob, cell);
	uint32_t n;
	int err;

	for (n = 0; n < cell->num_pci_devices; n++) {
		err = cfg_arch_check_pci(sys, &dev[n], st);
		if (err)
			return err;
	}
	return 0;
}

/*
 * Is a link end of the cell one the root's configuration holds (same link, same peer id)? The
 * root's ends exist from enable to disable, so such a cell could never be created. Returns the
 * index of the first such end, or -1.
 */
static int64_t end_of_root(const struct hvcfg_system *sys, const void *cell_blob,
			   const struct hvcfg_cell_desc *cell)
{
	const struct hvcfg_ivshmem_end *ends = cfg_ivshmem_ends(cell_blob, cell);
	const struct hvcfg_ivshmem_end *root = cfg_ivshmem_ends(sys, &sys->root_cell);
	uint32_t n, r;

	for (n = 0; n < cell->num_ivshmem_ends; n++)
		for (r = 0; r < sys->root_cell.num_ivshmem_ends; r++)
			if (root[r].link == ends[n].link && root[r].peer_id == ends[n].peer_id)
				return n;
	return -1;
}

/* Does the root mark any RAM region as the cell pool? Then cell RAM comes from there only. */
static int has_pool(const struct hvcfg_system *sys)
{
	const struct hvcfg_memory_region *mem = cfg_mem_regions(sys, &sys->root_cell);
	uint32_t n;

	for (n = 0; n < sys->root_cell.num_mem_regions; n++)
		if (mem[n].flags & HVCFG_MEM_CELL_POOL)
			return 1;
	return 0;
}

int cfg_check_cell_in_system(const void *sys_blob, size_t sys_len, const void *cell_blob,
			     size_t cell_len, const struct cfg_limits *lim, struct cfg_status *st)
{
	const struct hvcfg_system *sys = sys_blob;
	const struct hvcfg_cell *cfg = cell_blob;
	const struct hvcfg_cell_desc *cell = &cfg->cell, *root = &sys->root_cell;
	int64_t pin;
	const struct hvcfg_memory_region *mem, *r;
	uint8_t digest[32];
	uint32_t n;
	int err, pool;

	err = cfg_check_system(sys_blob, sys_len, lim, st);
	if (!err)
		err = cfg_check_cell(cell_blob, cell_len, lim, sys->num_cpus, st);
	if (err)
		return err;
	sha256(sys_blob, sys->header.total_size, digest);
	for (n = 0; n < sizeof(digest); n++)
		if (digest[n] != cfg->system_digest[n])
			return cfg_fail(st, CFG_E_DIGEST, 0);
	/* cfg_check_cell() proved every CPU of the set below num_cpus */
	for (n = 0; n < sys->num_cpus; n++)
		if (cfg_cpu_in_set(cell_blob, cell, n) && !cfg_cpu_in_set(sys_blob, root, n))
			return cfg_fail(st, CFG_E_ROOT_CPU, n);
	mem = cfg_mem_regions(cell_blob, cell);
	pool = has_pool(sys);
	for (n = 0; n < cell->num_mem_regions; n++) {
		if (mem[n].flags & HVCFG_MEM_COMM_REGION)
			continue;	/* a hypervisor page, not the root's */
		r = root_region(sys, mem[n].phys_start, mem[n].size);
		if (!r || (r->flags & HVCFG_MEM_IO) != (mem[n].flags & HVCFG_MEM_IO))
			return cfg_fail(st, CFG_E_ROOT_MEM, mem[n].phys_start);
		/* the root DTB reserves the pool: RAM elsewhere is RAM root Linux may use */
		if (pool && !(mem[n].flags & HVCFG_MEM_IO) && !(r->flags & HVCFG_MEM_CELL_POOL))
			return cfg_fail(st, CFG_E_POOL, mem[n].phys_start);
	}
	pin = irq_not_root(sys, cell_blob, cell);
	if (pin >= 0)
		return cfg_fail(st, CFG_E_ROOT_IRQ, pin);
	pin = pio_not_root(sys, cell_blob, cell);
	if (pin >= 0)
		return cfg_fail(st, CFG_E_ROOT_PIO, pin);
	pin = pci_not_root(sys, cell_blob, cell);
	if (pin >= 0)
		return cfg_fail(st, CFG_E_ROOT_PCI, pin);
	err = pci_in_system(sys, cell_blob, cell, st);
	if (!err)
		err = cfg_check_ends_in_system(sys, cell_blob, cell, lim, st);
	if (err)
		return err;
	pin = end_of_root(sys, cell_blob, cell);
	if (pin >= 0)
		return cfg_fail(st, CFG_E_ROOT_PEER, pin);
	return 0;
}
