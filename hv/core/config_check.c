// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Validation of system and cell blobs. Pure functions over a byte buffer: the same file is
 * compiled into the hypervisor, the Linux driver, the CLI (texts), the host library configgen
 * uses (build/host/libhvcfg.so) and the host unit tests. Checks run from the cheapest and most
 * telling (the signature) to the most specific, so each kind of damage gets its own answer; nothing is
 * dereferenced before its bounds are proven. What the architecture can map comes from struct
 * cfg_limits; everything the hypervisor requires of a blob on its own is checked here, what it
 * requires of a cell against its system in config_cross.c. What only the architecture can
 * judge (its platform section, CPU ids, what a pin is) is the arch validator's (cfg_arch_*(),
 * config_check.h), which this code calls at the matching points.
 */
#include "config_check.h"
#include "hv_errno.h"
/*
 * The link checks live in their own file for length, but in this translation unit: every
 * consumer (hypervisor, driver, CLI, host library, fuzzer, unit tests) builds this one file.
 */
#include "config_ivshmem.c"
/* the results' texts and errnos, for length in a file of their own (same reason) */
#include "config_results.c"

#define CFG_SYS_FLAGS		HVCFG_SYS_VIRTUAL_DEBUG_CONSOLE
#define CFG_CELL_FLAGS		(HVCFG_CELL_PASSIVE_COMMREG | HVCFG_CELL_MAY_LOCK | \
				 HVCFG_CELL_VCONSOLE_PERMITTED | HVCFG_CELL_VCONSOLE_ACTIVE | \
				 HVCFG_CELL_DMA_TRUSTED)
/* modes only some architectures have, and only for non-root cells (cfg_limits.cell_flags) */
#define CFG_CELL_ARCH_FLAGS	HVCFG_CELL_IRQ_DIRECT
#define CFG_CELL_MEM_FLAGS	((HVCFG_MEM_PRESERVED << 1) - 1)

/* Bitwise CRC-32 (zlib's): blobs are a few KiB, a table would cost more than it saves. */
uint32_t cfg_crc32(const void *data, size_t len, size_t skip_offset)
{
	const unsigned char *p = data;
	uint32_t crc = 0xffffffffu;
	size_t i;
	int bit;

	for (i = 0; i < len; i++) {
		unsigned char byte = p[i];

		if (i >= skip_offset && i < skip_offset + 4)
			byte = 0;
		crc ^= byte;
		for (bit = 0; bit < 8; bit++)
			crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
	}
	return ~crc;
}

int cfg_fail(struct cfg_status *st, enum cfg_result code, hvcfg_u64 detail)
{
	st->code = code;
	st->detail = detail;
	return cfg_result_errno(code);
}

/* Is [off, off + count * size) inside the blob and 8-byte aligned? Overflow-proof. */
static int array_ok(uint32_t total, uint32_t off, hvcfg_u64 count, hvcfg_u64 size)
{
	if (off % 8 || off > total)
		return 0;
	return count * size <= (hvcfg_u64)(total - off);
}

/*
 * The hypervisor memory as the bootstrap can map it (aligned blocks inside one span), and it
 * and the debug console inside the hypervisor's address space, disjoint. The devices of the
 * platform section are the arch validator's (cfg_arch_check_system()).
 */
static int check_hv_mappings(const struct hvcfg_system *sys, const struct cfg_limits *lim,
			     struct cfg_status *st)
{
	const struct hvcfg_console *con = &sys->debug_console;
	hvcfg_u64 base = sys->hypervisor_mem_base, size = sys->hypervisor_mem_size;
	hvcfg_u64 align = lim->hv_mem_align, span = lim->hv_mem_span;

	if (!align || align & (align - 1) || base & (align - 1))
		return cfg_fail(st, CFG_E_HV_MEM, base);
	if (!span || span & (span - 1) || (base & ~(span - 1)) != ((base + size - 1) & ~(span - 1)))
		return cfg_fail(st, CFG_E_HV_MEM, base);
	if (!cfg_below(base, size, lim->hv_va_limit))
		return cfg_fail(st, CFG_E_HV_VA, base);
	/* a port-I/O console is not mapped */
	if (con->type == HVCFG_CONSOLE_NONE || con->type == HVCFG_CONSOLE_8250_PIO)
		return 0;
	if (!cfg_below(con->base, con->size, lim->hv_va_limit))
		return cfg_fail(st, CFG_E_HV_VA, con->base);
	/* one page table holds them all: a device over the hypervisor would replace it */
	if (cfg_overlaps(base, size, con->base, con->size))
		return cfg_fail(st, CFG_E_HV_MEM, con->base);
	return 0;
}

/* The generic platform fields, then the arch's section: what it does not use must be zero. */
static int check_platform(const struct hvcfg_system *sys, const struct cfg_limits *lim,
			  struct cfg_status *st)
{
	const struct hvcfg_platform *p = &sys->platform;
	hvcfg_u32 n, used = cfg_arch_platform_used();

	if ((p->pci_mmconfig_base || p->pci_mmconfig_size) &&
	    !cfg_range_sane(p->pci_mmconfig_base, p->pci_mmconfig_size))
		return cfg_fail(st, CFG_E_PLATFORM, p->pci_mmconfig_base);
	for (n = used < HVCFG_ARCH_PLATFORM_SIZE ? used : HVCFG_ARCH_PLATFORM_SIZE;
	     n < HVCFG_ARCH_PLATFORM_SIZE; n++)
		if (p->arch[n])
			return cfg_fail(st, CFG_E_RESERVED, n);
	return cfg_arch_check_system(sys, lim, st);
}

/* A console of a known type, one the hypervisor drives, at a sane MMIO range or port range. */
static int check_console(const struct hvcfg_console *con, const struct cfg_limits *lim,
			 struct cfg_status *st)
{
	if (con->flags)
		return cfg_fail(st, CFG_E_RESERVED, con->flags);
	if (con->type == HVCFG_CONSOLE_NONE)
		return 0;
	if (con->type > HVCFG_CONSOLE_8250_PIO || !((lim->console_types >> con->type) & 1))
		return cfg_fail(st, CFG_E_CONSOLE, con->type);
	if (con->type == HVCFG_CONSOLE_8250_PIO) {
		if (!con->size || !cfg_below(con->base, con->size, lim->pio_ports))
			return cfg_fail(st, CFG_E_CONSOLE, con->base);
		return 0;
	}
	if (!cfg_range_sane(con->base, con->size))
		return cfg_fail(st, CFG_E_CONSOLE, con->base);
	return 0;
}

static int check_cpus(const struct hvcfg_system *sys, const struct cfg_limits *lim,
		      struct cfg_status *st)
{
	const struct hvcfg_cpu *cpus;
	uint32_t i, j;
	int err;

	if (!sys->num_cpus || sys->num_cpus > HVCFG_MAX_CPUS || sys->num_cpus > lim->max_cpus)
		return cfg_fail(st, CFG_E_COUNT, sys->num_cpus);
	if (!array_ok(sys->header.total_size, sys->cpu_table_offset, sys->num_cpus,
		      sizeof(struct hvcfg_cpu)))
		return cfg_fail(st, CFG_E_OFFSET, sys->cpu_table_offset);
	cpus = cfg_cpus(sys);
	for (i = 0; i < sys->num_cpus; i++) {
		err = cfg_arch_check_cpu_id(cpus[i].hw_id, st);
		if (err)
			return err;
		for (j = 0; j < i; j++)
			if (cpus[j].hw_id == cpus[i].hw_id)
				return cfg_fail(st, CFG_E_CPU, cpus[i].hw_id);
	}
	return 0;
}

/*
 * Interrupt resources: generic shape, each owned pin by the arch (sys: see
 * cfg_arch_check_irq()). Two entries of one controller must not cover the same pin, or moving
 * one entry's pins would leave the other's half-owned.
 */
static int check_irqchips(const void *blob, const struct hvcfg_cell_desc *cell,
			  const struct hvcfg_system *sys, struct cfg_status *st)
{
	const struct hvcfg_irqchip *chips = cfg_irqchips(blob, cell), *c;
	uint32_t i, j, bit;
	int err;

	for (i = 0; i < cell->num_irqchips; i++) {
		c = &chips[i];
		if (c->pin_base % 32 || c->pin_base > 0xffffffffu - HVCFG_IRQCHIP_PINS)
			return cfg_fail(st, CFG_E_IRQ, c->pin_base);
		for (j = 0; j < i; j++)
			if (chips[j].address == c->address && chips[j].id == c->id &&
			    cfg_overlaps(chips[j].pin_base, HVCFG_IRQCHIP_PINS, c->pin_base,
				     HVCFG_IRQCHIP_PINS))
				return cfg_fail(st, CFG_E_IRQ, c->pin_base);
		for (bit = 0; bit < HVCFG_IRQCHIP_PINS; bit++) {
			if (!((c->pin_bitmap[bit / 64] >> (bit % 64)) & 1))
				continue;
			err = cfg_arch_check_irq(sys, c, c->pin_base + bit, st);
			if (err)
				return err;
		}
	}
	return 0;
}

/* Port-I/O regions: not empty, inside the port space the arch grants. */
static int check_pio(const void *blob, const struct hvcfg_cell_desc *cell,
		     const struct cfg_limits *lim, struct cfg_status *st)
{
	const struct hvcfg_pio_region *pio = cfg_pio_regions(blob, cell);
	uint32_t n;

	for (n = 0; n < cell->num_pio_regions; n++)
		if (!pio[n].length || !cfg_below(pio[n].base, pio[n].length, HVCFG_PIO_PORTS) ||
		    !cfg_below(pio[n].base, pio[n].length, lim->pio_ports))
			return cfg_fail(st, CFG_E_PIO, pio[n].base);
	return 0;
}

/* PCI devices: as many as the arch assigns, of a known type, each once, then the arch's view. */
static int check_pci(const void *blob, const struct hvcfg_cell_desc *cell,
		     const struct hvcfg_system *sys, const struct cfg_limits *lim,
		     struct cfg_status *st)
{
	const struct hvcfg_pci_device *dev = cfg_pci_devices(blob, cell);
	uint32_t n, m;
	int err;

	if (cell->num_pci_devices > lim->max_pci_devices)
		return cfg_fail(st, CFG_E_PCI, cell->num_pci_devices);
	for (n = 0; n < cell->num_pci_devices; n++) {
		if (dev[n].padding0)
			return cfg_fail(st, CFG_E_RESERVED, n);
		if (dev[n].type != HVCFG_PCI_DEVICE && dev[n].type != HVCFG_PCI_BRIDGE)
			return cfg_fail(st, CFG_E_PCI, dev[n].bdf);
		for (m = 0; m < n; m++)
			if (dev[m].domain == dev[n].domain && dev[m].bdf == dev[n].bdf)
				return cfg_fail(st, CFG_E_PCI, dev[n].bdf);
		err = cfg_arch_check_pci(sys, &dev[n], st);
		if (err)
			return err;
	}
	return 0;
}

/* count entries of size bytes at off: within max, inside the blob of total bytes. */
static int check_array(uint32_t total, uint32_t count, uint32_t max, uint32_t off, size_t size,
		       struct cfg_status *st)
{
	if (count > max)
		return cfg_fail(st, CFG_E_COUNT, count);
	if (!array_ok(total, off, count, size))
		return cfg_fail(st, CFG_E_OFFSET, off);
	return 0;
}

static int check_arrays(uint32_t total, const struct hvcfg_cell_desc *c, uint32_t min_words,
			struct cfg_status *st)
{
	int err;

	if (c->num_cpu_words < min_words)
		return cfg_fail(st, CFG_E_COUNT, c->num_cpu_words);
	err = check_array(total, c->num_cpu_words, HVCFG_MAX_CPUS / 64, c->cpu_set_offset,
			  sizeof(hvcfg_u64), st);
	if (!err)
		err = check_array(total, c->num_mem_regions, HVCFG_MAX_MEM_REGIONS,
				  c->mem_regions_offset, sizeof(struct hvcfg_memory_region), st);
	if (!err)
		err = check_array(total, c->num_irqchips, HVCFG_MAX_IRQCHIPS, c->irqchips_offset,
				  sizeof(struct hvcfg_irqchip), st);
	if (!err)
		err = check_array(total, c->num_pio_regions, HVCFG_MAX_PIO_REGIONS,
				  c->pio_regions_offset, sizeof(struct hvcfg_pio_region), st);
	if (!err)
		err = check_array(total, c->num_pci_devices, HVCFG_MAX_PCI_DEVICES,
				  c->pci_devices_offset, sizeof(struct hvcfg_pci_device), st);
	return err;
}

/*
 * A cell descriptor's name, counts, arrays and CPU set, inside a blob of total bytes. num_cpus is
 * the system's CPU count (0: unknown, driver side); the CPU set must have at least min_words words.
 * sys: the system the descriptor is part of (the root's), NULL for a cell blob.
 */
static int check_desc(const void *blob, uint32_t total, const struct hvcfg_cell_desc *cell,
		      uint32_t num_cpus, uint32_t min_words, const struct hvcfg_system *sys,
		      const struct cfg_limits *lim, struct cfg_status *st)
{
	const hvcfg_u64 *set;
	uint32_t w, i, end = 0;
	int any = 0, err;

	/* printable ASCII (it goes to consoles), NUL-terminated and NUL-padded (compared whole) */
	while (end < HVCFG_NAME_LEN && cell->name[end])
		end++;
	if (!end || end == HVCFG_NAME_LEN)
		return cfg_fail(st, CFG_E_NAME, end);
	for (i = 0; i < HVCFG_NAME_LEN; i++)
		if (i < end ? cell->name[i] < 0x20 || cell->name[i] > 0x7e : cell->name[i] != 0)
			return cfg_fail(st, CFG_E_NAME, i);
	if (cell->flags & ~(CFG_CELL_FLAGS | CFG_CELL_ARCH_FLAGS))
		return cfg_fail(st, CFG_E_RESERVED, cell->flags);
	/*
	 * The root's CPUs stay in trap mode: they run the management path, and the root hands
	 * its interrupts to cells, so the hypervisor must see them.
	 */
	if (cell->flags & CFG_CELL_ARCH_FLAGS & ~(sys ? 0 : lim->cell_flags))
		return cfg_fail(st, CFG_E_IRQ_DIRECT, cell->flags);
	if (cell->padding0)
		return cfg_fail(st, CFG_E_RESERVED, cell->padding0);
	err = check_arrays(total, cell, min_words, st);
	if (err)
		return err;
	set = cfg_cpu_set(blob, cell);
	for (w = 0; w < cell->num_cpu_words; w++) {
		hvcfg_u64 valid = !num_cpus ? ~0ULL : w < num_cpus / 64 ? ~0ULL :
			w == num_cpus / 64 ? (1ULL << (num_cpus % 64)) - 1 : 0;

		if (set[w] & ~valid)
			return cfg_fail(st, CFG_E_CPU, w);
		any |= set[w] != 0;
	}
	if (!any)
		return cfg_fail(st, CFG_E_CPU, 0);
	err = check_irqchips(blob, cell, sys, st);
	if (!err)
		err = check_pio(blob, cell, lim, st);
	if (!err)
		err = check_pci(blob, cell, sys, lim, st);
	if (!err)
		err = check_console(&cell->console, lim, st);
	if (!err)
		err = cfg_check_ends(blob, total, cell, lim, st);
	return err;
}

static int check_root_regions(const struct hvcfg_system *sys, const struct cfg_limits *lim,
			      struct cfg_status *st)
{
	const struct hvcfg_cell_desc *root = &sys->root_cell;
	const struct hvcfg_memory_region *mem = cfg_mem_regions(sys, root);
	const hvcfg_u64 known = (HVCFG_MEM_CELL_POOL << 1) - 1;
	uint32_t i;
	int err;

	for (i = 0; i < root->num_mem_regions; i++) {
		const struct hvcfg_memory_region *r = &mem[i];

		if (r->flags & ~known)
			return cfg_fail(st, CFG_E_RESERVED, r->flags);
		/* The root keeps running on its own addresses: only identity maps make sense. */
		if (!cfg_range_sane(r->phys_start, r->size) || r->phys_start != r->guest_start ||
		    r->flags & HVCFG_MEM_COMM_REGION)
			return cfg_fail(st, CFG_E_REGION, r->phys_start);
		if (!cfg_below(r->guest_start, r->size, lim->ipa_limit))
			return cfg_fail(st, CFG_E_IPA, r->guest_start);
		if (cfg_overlaps(r->phys_start, r->size, sys->hypervisor_mem_base,
			     sys->hypervisor_mem_size))
			return cfg_fail(st, CFG_E_HV_OVERLAP, r->phys_start);
		err = cfg_arch_check_root_region(sys, r, st);
		if (err)
			return err;
	}
	return 0;
}

/* What every blob must pass before any of its contents is looked at. */
static int check_header(const void *blob, size_t len, uint32_t signature, size_t min_size,
			const struct cfg_limits *lim, struct cfg_status *st)
{
	const struct hvcfg_header *hdr = blob;

	st->code = CFG_OK;
	st->detail = 0;
	if (len < sizeof(*hdr))
		return cfg_fail(st, CFG_E_TRUNCATED, len);
	if (hdr->signature != signature)
		return cfg_fail(st, CFG_E_SIGNATURE, hdr->signature);
	if (hdr->revision != HVCFG_REVISION)
		return cfg_fail(st, CFG_E_REVISION, hdr->revision);
	if (hdr->arch != lim->arch)
		return cfg_fail(st, CFG_E_ARCH, hdr->arch);
	if (hdr->total_size > len)
		return cfg_fail(st, CFG_E_TRUNCATED, len);
	if (hdr->total_size < min_size || hdr->total_size != len || hdr->total_size % 8)
		return cfg_fail(st, CFG_E_SIZE, hdr->total_size);
	if (cfg_crc32(blob, hdr->total_size, __builtin_offsetof(struct hvcfg_header, crc32)) !=
	    hdr->crc32)
		return cfg_fail(st, CFG_E_CRC, hdr->crc32);
	return 0;
}

int cfg_check_system(const void *blob, size_t len, const struct cfg_limits *lim,
		     struct cfg_status *st)
{
	const struct hvcfg_system *sys = blob;
	int err;

	err = check_header(blob, len, HVCFG_SIGNATURE_SYSTEM, sizeof(*sys), lim, st);
	if (err)
		return err;
	if (sys->flags & ~CFG_SYS_FLAGS)
		return cfg_fail(st, CFG_E_RESERVED, sys->flags);
	if (sys->padding0)
		return cfg_fail(st, CFG_E_RESERVED, sys->padding0);
	if (sys->num_ivshmem_links && !lim->max_ivshmem_ends)
		return cfg_fail(st, CFG_E_LINK_ARCH, sys->num_ivshmem_links);
	if (!cfg_range_sane(sys->hypervisor_mem_base, sys->hypervisor_mem_size))
		return cfg_fail(st, CFG_E_HV_MEM, sys->hypervisor_mem_base);
	err = check_cpus(sys, lim, st);
	if (!err)
		err = check_console(&sys->debug_console, lim, st);
	if (!err)
		err = check_hv_mappings(sys, lim, st);
	if (!err)
		err = check_platform(sys, lim, st);
	if (!err)
		err = check_desc(sys, sys->header.total_size, &sys->root_cell, sys->num_cpus,
				 (sys->num_cpus + 63) / 64, sys, lim, st);
	if (!err)
		err = check_root_regions(sys, lim, st);
	if (!err)
		err = cfg_check_links(sys, st);
	if (!err)
		err = cfg_check_ends_in_system(sys, sys, &sys->root_cell, lim, st);
	return err;
}

/*
 * A cell blob on its own: the same header checks as the system, then its descriptor. What
 * depends on the system blob (digest, the root's CPUs, memory and interrupts) is
 * cfg_check_cell_in_system()'s, what depends on the live system the hypervisor's. num_cpus is
 * the system's CPU count, 0 if unknown (driver side).
 */
int cfg_check_cell(const void *blob, size_t len, const struct cfg_limits *lim,
		   uint32_t num_cpus, struct cfg_status *st)
{
	const struct hvcfg_cell *cfg = blob;
	const struct hvcfg_header *hdr = blob;
	const struct hvcfg_cell_desc *cell = &cfg->cell;
	const struct hvcfg_memory_region *mem;
	uint32_t i, j, comm = 0;
	int err;

	err = check_header(blob, len, HVCFG_SIGNATURE_CELL, sizeof(*cfg), lim, st);
	if (err)
		return err;
	err = check_desc(blob, hdr->total_size, cell, num_cpus, 1, NULL, lim, st);
	if (err)
		return err;
	mem = cfg_mem_regions(blob, cell);
	for (i = 0; i < cell->num_mem_regions; i++) {
		const struct hvcfg_memory_region *r = &mem[i];

		if (r->flags & ~CFG_CELL_MEM_FLAGS)
			return cfg_fail(st, CFG_E_RESERVED, r->flags);
		if (!cfg_range_sane(r->guest_start, r->size) ||
		    (r->flags & HVCFG_MEM_COMM_REGION && (r->phys_start || r->size != CFG_PAGE_SIZE ||
		     r->flags & (HVCFG_MEM_IO | HVCFG_MEM_LOADABLE | HVCFG_MEM_ROOTSHARED))) ||
		    (!(r->flags & HVCFG_MEM_COMM_REGION) &&
		     !cfg_range_sane(r->phys_start, r->size)))
			return cfg_fail(st, CFG_E_REGION, r->guest_start);
		if (!cfg_below(r->guest_start, r->size, lim->ipa_limit))
			return cfg_fail(st, CFG_E_IPA, r->guest_start);
		comm += !!(r->flags & HVCFG_MEM_COMM_REGION);
		/* two regions at the same guest address would make the stage-2 map ambiguous */
		for (j = 0; j < i; j++)
			if (cfg_overlaps(r->guest_start, r->size, mem[j].guest_start, mem[j].size))
				return cfg_fail(st, CFG_E_REGION, r->guest_start);
	}
	if (comm > 1)
		return cfg_fail(st, CFG_E_COUNT, comm);
	return 0;
}
