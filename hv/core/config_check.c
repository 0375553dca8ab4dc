// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Validation of system and cell blobs. Pure functions over a byte buffer: the same file is
 * compiled into the hypervisor, the Linux driver, the CLI (texts), the host library configgen
 * uses (build/host/libhvcfg.so) and the host unit tests. Checks run from the cheapest and most
 * telling (magic) to the most specific, so each kind of damage gets its own answer; nothing is
 * dereferenced before its bounds are proven. What the architecture can map comes from struct
 * cfg_limits; everything the hypervisor requires of a blob on its own is checked here, what it
 * requires of a cell against its system in config_cross.c.
 */
#include "config_check.h"
#include "hv_errno.h"

#define CFG_PAGE_SIZE	4096ULL
#define CFG_ERRNO(n)	(-(n))

static const struct {
	const char *text;
	int err;
} cfg_results[CFG_NUM_RESULTS] = {
	[CFG_OK] = { "valid", 0 },
	[CFG_E_TRUNCATED] = { "truncated (shorter than its header says)", ENODATA },
	[CFG_E_MAGIC] = { "not a system configuration (bad magic)", ENOEXEC },
	[CFG_E_REVISION] = { "unsupported format revision", EPROTO },
	[CFG_E_ARCH] = { "built for another architecture", EOPNOTSUPP },
	[CFG_E_SIZE] = { "inconsistent total size", EMSGSIZE },
	[CFG_E_CRC] = { "checksum mismatch (corrupted)", EBADMSG },
	[CFG_E_COUNT] = { "a count exceeds the limits", E2BIG },
	[CFG_E_OFFSET] = { "an array lies outside the blob", ERANGE },
	[CFG_E_REGION] = { "invalid memory region", EINVAL },
	[CFG_E_HV_OVERLAP] = { "a root memory region overlaps the hypervisor memory",
			       EADDRINUSE },
	[CFG_E_HV_MEM] = { "unusable hypervisor memory", EFAULT },
	[CFG_E_PLATFORM] = { "invalid interrupt controller description", EDOM },
	[CFG_E_CPU] = { "invalid CPU table or CPU set", ENXIO },
	[CFG_E_CONSOLE] = { "invalid debug console", EIO },
	[CFG_E_NAME] = { "invalid cell name (empty, not NUL-terminated and NUL-padded, or not "
			 "printable ASCII)", EILSEQ },
	[CFG_E_RESERVED] = { "unknown flag bits or non-zero reserved fields (padding)",
			     ENOPROTOOPT },
	[CFG_E_IPA] = { "a guest address range beyond the guest-physical space stage 2 can map",
			EOVERFLOW },
	[CFG_E_EL2_VA] = { "hypervisor memory or a device it maps beyond the hypervisor's address "
			   "space", EFBIG },
	[CFG_E_DIGEST] = { "the cell was made for another system configuration (digest)",
			   ESTALE },
	[CFG_E_ROOT_CPU] = { "a CPU of the cell is not a CPU of the root cell", EBUSY },
	[CFG_E_ROOT_MEM] = { "a memory region of the cell is not inside one root cell region of "
			     "the same kind (RAM/I/O)", EACCES },
	[CFG_E_ROOT_IRQ] = { "an interrupt of the cell is not one of the root cell",
			     EBADSLT },
	[CFG_E_POOL] = { "a RAM region of the cell lies outside the root cell's cell pool",
			 EXDEV },
};

#define CFG_SYS_FLAGS		HVCFG_SYS_VIRTUAL_DEBUG_CONSOLE
#define CFG_CELL_FLAGS		(HVCFG_CELL_PASSIVE_COMMREG | HVCFG_CELL_MAY_LOCK | \
				 HVCFG_CELL_VCONSOLE_PERMITTED | HVCFG_CELL_VCONSOLE_ACTIVE)
#define CFG_CELL_MEM_FLAGS	((HVCFG_MEM_PRESERVED << 1) - 1)

const char *cfg_result_text(enum cfg_result code)
{
	return code < CFG_NUM_RESULTS ? cfg_results[code].text : "unknown error";
}

int cfg_result_errno(enum cfg_result code)
{
	return code < CFG_NUM_RESULTS ? CFG_ERRNO(cfg_results[code].err) : CFG_ERRNO(EINVAL);
}

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

static int fail(struct cfg_status *st, enum cfg_result code, hvcfg_u64 detail)
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

static int overlaps(hvcfg_u64 a, hvcfg_u64 a_size, hvcfg_u64 b, hvcfg_u64 b_size)
{
	return a < b + b_size && b < a + a_size;
}

static int range_sane(hvcfg_u64 start, hvcfg_u64 size)
{
	return size && start % CFG_PAGE_SIZE == 0 && size % CFG_PAGE_SIZE == 0 &&
	       start + size > start;
}

/* Does [base, base + size) end at or below limit? Overflow-proof. */
static int below(hvcfg_u64 base, hvcfg_u64 size, hvcfg_u64 limit)
{
	return base < limit && size <= limit - base;
}

/*
 * The hypervisor memory as the bootstrap can map it (aligned blocks inside one span), and it
 * and every device the hypervisor maps for itself inside its EL2 address space, disjoint.
 */
static int check_hv_mappings(const struct hvcfg_system *sys, const struct cfg_limits *lim,
			     struct cfg_status *st)
{
	const struct hvcfg_platform *p = &sys->platform;
	const struct hvcfg_console *con = &sys->debug_console;
	hvcfg_u64 base = sys->hypervisor_mem_base, size = sys->hypervisor_mem_size;
	hvcfg_u64 align = lim->hv_mem_align, span = lim->hv_mem_span;

	if (!align || align & (align - 1) || base & (align - 1))
		return fail(st, CFG_E_HV_MEM, base);
	if (!span || span & (span - 1) || (base & ~(span - 1)) != ((base + size - 1) & ~(span - 1)))
		return fail(st, CFG_E_HV_MEM, base);
	if (!below(base, size, lim->el2_va_limit))
		return fail(st, CFG_E_EL2_VA, base);
	if (!below(p->gicd_base, p->gicd_size, lim->el2_va_limit))
		return fail(st, CFG_E_EL2_VA, p->gicd_base);
	if (!below(p->gicr_base, p->gicr_size, lim->el2_va_limit))
		return fail(st, CFG_E_EL2_VA, p->gicr_base);
	if (p->its_size && !below(p->its_base, p->its_size, lim->el2_va_limit))
		return fail(st, CFG_E_EL2_VA, p->its_base);
	if (con->type != HVCFG_CONSOLE_NONE && !below(con->base, con->size, lim->el2_va_limit))
		return fail(st, CFG_E_EL2_VA, con->base);
	/* one EL2 page table holds them all: a device over the hypervisor would replace it */
	if (overlaps(base, size, p->gicd_base, p->gicd_size))
		return fail(st, CFG_E_HV_MEM, p->gicd_base);
	if (overlaps(base, size, p->gicr_base, p->gicr_size))
		return fail(st, CFG_E_HV_MEM, p->gicr_base);
	if (overlaps(base, size, p->its_base, p->its_size))
		return fail(st, CFG_E_HV_MEM, p->its_base);
	if (con->type != HVCFG_CONSOLE_NONE && overlaps(base, size, con->base, con->size))
		return fail(st, CFG_E_HV_MEM, con->base);
	return 0;
}

static int check_platform(const struct hvcfg_system *sys, struct cfg_status *st)
{
	const struct hvcfg_platform *p = &sys->platform;

	if (p->gic_version != HVCFG_GIC_V3)
		return fail(st, CFG_E_PLATFORM, p->gic_version);
	if (!range_sane(p->gicd_base, p->gicd_size))
		return fail(st, CFG_E_PLATFORM, p->gicd_base);
	if (!range_sane(p->gicr_base, p->gicr_size) || !p->gicr_stride ||
	    p->gicr_stride % CFG_PAGE_SIZE || p->gicr_size / p->gicr_stride < sys->num_cpus)
		return fail(st, CFG_E_PLATFORM, p->gicr_base);
	if (p->its_size && !range_sane(p->its_base, p->its_size))
		return fail(st, CFG_E_PLATFORM, p->its_base);
	if (p->gic_lines < 32 || p->gic_lines > HVCFG_NUM_INTIDS || p->gic_lines % 32)
		return fail(st, CFG_E_PLATFORM, p->gic_lines);
	if (p->maintenance_irq < 16 || p->maintenance_irq > 31)
		return fail(st, CFG_E_PLATFORM, p->maintenance_irq);
	if (p->padding0[0] || p->padding0[1] || p->padding0[2])
		return fail(st, CFG_E_RESERVED, 0);
	return 0;
}

static int check_console(const struct hvcfg_console *con, struct cfg_status *st)
{
	if (con->flags)
		return fail(st, CFG_E_RESERVED, con->flags);
	if (con->type == HVCFG_CONSOLE_NONE)
		return 0;
	if (con->type != HVCFG_CONSOLE_PL011 || !range_sane(con->base, con->size))
		return fail(st, CFG_E_CONSOLE, con->base);
	return 0;
}

static int check_cpus(const struct hvcfg_system *sys, const struct cfg_limits *lim,
		      struct cfg_status *st)
{
	const struct hvcfg_cpu *cpus;
	uint32_t i, j;

	if (!sys->num_cpus || sys->num_cpus > HVCFG_MAX_CPUS || sys->num_cpus > lim->max_cpus)
		return fail(st, CFG_E_COUNT, sys->num_cpus);
	if (!array_ok(sys->header.total_size, sys->cpu_table_offset, sys->num_cpus,
		      sizeof(struct hvcfg_cpu)))
		return fail(st, CFG_E_OFFSET, sys->cpu_table_offset);
	cpus = cfg_cpus(sys);
	for (i = 0; i < sys->num_cpus; i++) {
		if (cpus[i].mpidr & ~0xff00ffffffULL)
			return fail(st, CFG_E_CPU, cpus[i].mpidr);
		for (j = 0; j < i; j++)
			if (cpus[j].mpidr == cpus[i].mpidr)
				return fail(st, CFG_E_CPU, cpus[i].mpidr);
	}
	return 0;
}

/*
 * A cell descriptor's name, counts, arrays and CPU set, inside a blob of total bytes. num_cpus is
 * the system's CPU count (0: unknown, driver side); the CPU set must have at least min_words words.
 */
static int check_desc(const void *blob, uint32_t total, const struct hvcfg_cell_desc *cell,
		      uint32_t num_cpus, uint32_t min_words, struct cfg_status *st)
{
	const hvcfg_u64 *set;
	uint32_t w, i, end = 0;
	int any = 0;

	/* printable ASCII (it goes to consoles), NUL-terminated and NUL-padded (compared whole) */
	while (end < HVCFG_NAME_LEN && cell->name[end])
		end++;
	if (!end || end == HVCFG_NAME_LEN)
		return fail(st, CFG_E_NAME, end);
	for (i = 0; i < HVCFG_NAME_LEN; i++)
		if (i < end ? cell->name[i] < 0x20 || cell->name[i] > 0x7e : cell->name[i] != 0)
			return fail(st, CFG_E_NAME, i);
	if (cell->flags & ~CFG_CELL_FLAGS)
		return fail(st, CFG_E_RESERVED, cell->flags);
	if (cell->padding0)
		return fail(st, CFG_E_RESERVED, cell->padding0);
	if (cell->num_cpu_words < min_words || cell->num_cpu_words > HVCFG_MAX_CPUS / 64)
		return fail(st, CFG_E_COUNT, cell->num_cpu_words);
	if (cell->num_mem_regions > HVCFG_MAX_MEM_REGIONS)
		return fail(st, CFG_E_COUNT, cell->num_mem_regions);
	if (!array_ok(total, cell->cpu_set_offset, cell->num_cpu_words, sizeof(hvcfg_u64)))
		return fail(st, CFG_E_OFFSET, cell->cpu_set_offset);
	if (!array_ok(total, cell->mem_regions_offset, cell->num_mem_regions,
		      sizeof(struct hvcfg_memory_region)))
		return fail(st, CFG_E_OFFSET, cell->mem_regions_offset);
	set = cfg_cpu_set(blob, cell);
	for (w = 0; w < cell->num_cpu_words; w++) {
		hvcfg_u64 valid = !num_cpus ? ~0ULL : w < num_cpus / 64 ? ~0ULL :
			w == num_cpus / 64 ? (1ULL << (num_cpus % 64)) - 1 : 0;

		if (set[w] & ~valid)
			return fail(st, CFG_E_CPU, w);
		any |= set[w] != 0;
	}
	if (!any)
		return fail(st, CFG_E_CPU, 0);
	return 0;
}

static int check_root_regions(const struct hvcfg_system *sys, const struct cfg_limits *lim,
			      struct cfg_status *st)
{
	const struct hvcfg_cell_desc *root = &sys->root_cell;
	const struct hvcfg_memory_region *mem = cfg_mem_regions(sys, root);
	const struct hvcfg_platform *p = &sys->platform;
	const hvcfg_u64 known = (HVCFG_MEM_CELL_POOL << 1) - 1;
	uint32_t i;

	for (i = 0; i < root->num_mem_regions; i++) {
		const struct hvcfg_memory_region *r = &mem[i];

		if (r->flags & ~known)
			return fail(st, CFG_E_RESERVED, r->flags);
		/* The root keeps running on its own addresses: only identity maps make sense. */
		if (!range_sane(r->phys_start, r->size) || r->phys_start != r->guest_start ||
		    r->flags & HVCFG_MEM_COMM_REGION)
			return fail(st, CFG_E_REGION, r->phys_start);
		if (!below(r->guest_start, r->size, lim->ipa_limit))
			return fail(st, CFG_E_IPA, r->guest_start);
		if (overlaps(r->phys_start, r->size, sys->hypervisor_mem_base,
			     sys->hypervisor_mem_size))
			return fail(st, CFG_E_HV_OVERLAP, r->phys_start);
		/* The interrupt controller must stay trapped, or ownership means nothing. */
		if (overlaps(r->phys_start, r->size, p->gicd_base, p->gicd_size) ||
		    overlaps(r->phys_start, r->size, p->gicr_base, p->gicr_size) ||
		    overlaps(r->phys_start, r->size, p->its_base, p->its_size))
			return fail(st, CFG_E_REGION, r->phys_start);
	}
	return 0;
}

/* The root's interrupts: SPIs the GIC implements, nothing per CPU, no special INTIDs. */
static int check_root_irqs(const struct hvcfg_system *sys, struct cfg_status *st)
{
	const hvcfg_u64 *bm = sys->root_cell.irq_bitmap;
	uint32_t n, end = sys->platform.gic_lines;

	if (end > HVCFG_MAX_SPI_INTID + 1)
		end = HVCFG_MAX_SPI_INTID + 1;
	for (n = 0; n < HVCFG_NUM_INTIDS; n++)
		if ((bm[n / 64] >> (n % 64)) & 1 && (n < HVCFG_FIRST_SPI || n >= end))
			return fail(st, CFG_E_PLATFORM, n);
	return 0;
}

/* What every blob must pass before any of its contents is looked at. */
static int check_header(const void *blob, size_t len, uint32_t magic, size_t min_size,
			const struct cfg_limits *lim, struct cfg_status *st)
{
	const struct hvcfg_header *hdr = blob;

	st->code = CFG_OK;
	st->detail = 0;
	if (len < sizeof(*hdr))
		return fail(st, CFG_E_TRUNCATED, len);
	if (hdr->magic != magic)
		return fail(st, CFG_E_MAGIC, hdr->magic);
	if (hdr->revision != HVCFG_REVISION)
		return fail(st, CFG_E_REVISION, hdr->revision);
	if (hdr->arch != lim->arch)
		return fail(st, CFG_E_ARCH, hdr->arch);
	if (hdr->total_size > len)
		return fail(st, CFG_E_TRUNCATED, len);
	if (hdr->total_size < min_size || hdr->total_size != len || hdr->total_size % 8)
		return fail(st, CFG_E_SIZE, hdr->total_size);
	if (cfg_crc32(blob, hdr->total_size, __builtin_offsetof(struct hvcfg_header, crc32)) !=
	    hdr->crc32)
		return fail(st, CFG_E_CRC, hdr->crc32);
	return 0;
}

int cfg_check_system(const void *blob, size_t len, const struct cfg_limits *lim,
		     struct cfg_status *st)
{
	const struct hvcfg_system *sys = blob;
	int err;

	err = check_header(blob, len, HVCFG_MAGIC_SYSTEM, sizeof(*sys), lim, st);
	if (err)
		return err;
	if (sys->flags & ~CFG_SYS_FLAGS)
		return fail(st, CFG_E_RESERVED, sys->flags);
	if (sys->padding0)
		return fail(st, CFG_E_RESERVED, sys->padding0);
	if (!range_sane(sys->hypervisor_mem_base, sys->hypervisor_mem_size))
		return fail(st, CFG_E_HV_MEM, sys->hypervisor_mem_base);
	err = check_cpus(sys, lim, st);
	if (!err)
		err = check_platform(sys, st);
	if (!err)
		err = check_console(&sys->debug_console, st);
	if (!err)
		err = check_console(&sys->root_cell.console, st);
	if (!err)
		err = check_hv_mappings(sys, lim, st);
	if (!err)
		err = check_desc(sys, sys->header.total_size, &sys->root_cell, sys->num_cpus,
				 (sys->num_cpus + 63) / 64, st);
	if (!err)
		err = check_root_regions(sys, lim, st);
	if (!err)
		err = check_root_irqs(sys, st);
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

	err = check_header(blob, len, HVCFG_MAGIC_CELL, sizeof(*cfg), lim, st);
	if (err)
		return err;
	err = check_desc(blob, hdr->total_size, cell, num_cpus, 1, st);
	if (err)
		return err;
	/* SGIs and PPIs are per CPU, never handed out; 1020-1023 are special */
	if ((uint32_t)cell->irq_bitmap[0] || cell->irq_bitmap[HVCFG_IRQ_BITMAP_WORDS - 1] >> 60)
		return fail(st, CFG_E_PLATFORM, 0);
	err = check_console(&cell->console, st);
	if (err)
		return err;
	mem = cfg_mem_regions(blob, cell);
	for (i = 0; i < cell->num_mem_regions; i++) {
		const struct hvcfg_memory_region *r = &mem[i];

		if (r->flags & ~CFG_CELL_MEM_FLAGS)
			return fail(st, CFG_E_RESERVED, r->flags);
		if (!range_sane(r->guest_start, r->size) ||
		    (r->flags & HVCFG_MEM_COMM_REGION && (r->phys_start || r->size != CFG_PAGE_SIZE ||
		     r->flags & (HVCFG_MEM_IO | HVCFG_MEM_LOADABLE | HVCFG_MEM_ROOTSHARED))) ||
		    (!(r->flags & HVCFG_MEM_COMM_REGION) && !range_sane(r->phys_start, r->size)))
			return fail(st, CFG_E_REGION, r->guest_start);
		if (!below(r->guest_start, r->size, lim->ipa_limit))
			return fail(st, CFG_E_IPA, r->guest_start);
		comm += !!(r->flags & HVCFG_MEM_COMM_REGION);
		/* two regions at the same guest address would make the stage-2 map ambiguous */
		for (j = 0; j < i; j++)
			if (overlaps(r->guest_start, r->size, mem[j].guest_start, mem[j].size))
				return fail(st, CFG_E_REGION, r->guest_start);
	}
	if (comm > 1)
		return fail(st, CFG_E_COUNT, comm);
	return 0;
}
