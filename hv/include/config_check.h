/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Checks of configuration blobs: the one validator. The same code runs in the driver (for
 * friendly errors before anything is touched), in the hypervisor (which trusts nothing) and on
 * the host (build/host/libhvcfg.so, which configgen runs on every blob it writes or reads).
 * What the architecture can map comes in as data (struct cfg_limits, filled from
 * asm/cfg_limits.h with ARCH_CFG_LIMITS()), never as a conditional in this code.
 *
 * The generic checks (hv/core/config_check.c, config_cross.c) see the platform section
 * (hvcfg_platform.arch), CPU hardware ids and interrupt pins as opaque; the arch validator
 * (cfg_arch_*() below, e.g. hv/arch/arm-common/config_check_arm.c) gives them meaning. Every
 * consumer of the validator links the arch validator of the blobs it checks.
 */
#ifndef HV_CONFIG_CHECK_H
#define HV_CONFIG_CHECK_H

#include "config_format.h"

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stddef.h>
#include <stdint.h>
#endif

enum cfg_result {
	CFG_OK,
	CFG_E_TRUNCATED,	/* shorter than the header or than total_size */
	CFG_E_SIGNATURE,
	CFG_E_REVISION,
	CFG_E_ARCH,
	CFG_E_SIZE,		/* total_size inconsistent */
	CFG_E_CRC,
	CFG_E_COUNT,		/* a count beyond the format or build limits */
	CFG_E_OFFSET,		/* an array outside the blob or misaligned */
	CFG_E_REGION,		/* a memory region that is not sane */
	CFG_E_HV_OVERLAP,	/* a root region overlapping the hypervisor memory */
	CFG_E_HV_MEM,		/* hypervisor memory not usable */
	CFG_E_PLATFORM,		/* interrupt controller description */
	CFG_E_CPU,		/* CPU table or CPU set */
	CFG_E_CONSOLE,
	CFG_E_NAME,
	CFG_E_RESERVED,		/* unknown flag bits, non-zero padding or reserved fields */
	CFG_E_IPA,		/* a guest range beyond the guest-physical space stage 2 maps */
	CFG_E_HV_VA,		/* hypervisor memory or a device beyond what EL2 may map */
	/* a cell against its system (cfg_check_cell_in_system) */
	CFG_E_DIGEST,		/* made for another system blob */
	CFG_E_ROOT_CPU,		/* a CPU the root cell does not have */
	CFG_E_ROOT_MEM,		/* a region not inside one root region of the same kind */
	CFG_E_ROOT_IRQ,		/* an SPI the root cell does not have */
	CFG_E_POOL,		/* cell RAM outside the root's cell-pool regions */
	/* revision 2 (new codes go last: the numbers cross the hypercall interface) */
	CFG_E_IRQ,		/* an interrupt resource (controller, pin range or pin) */
	CFG_E_PIO,		/* a port-I/O region the arch cannot grant */
	CFG_E_PCI,		/* a PCI device (or any, where the arch assigns none) */
	CFG_E_UNSUPPORTED,	/* valid, but hardware this build does not drive */
	CFG_E_ROOT_PIO,		/* a port the root cell does not have */
	CFG_E_ROOT_PCI,		/* a PCI device the root cell does not have */
	CFG_E_IRQ_DIRECT,	/* direct interrupt delivery for the root or where the arch has none */
	/* revision 4: inter-cell links (ivshmem, config_ivshmem.c) */
	CFG_E_LINK,		/* a link: name, peers, protocol, sizes, alignment */
	CFG_E_LINK_OVERLAP,	/* link memory over the hypervisor, a root region or another link */
	CFG_E_END,		/* a link end: link index, peer id, a (link, peer) twice */
	CFG_E_END_PCI,		/* a link end's function: not bus 0, twice, or a real function */
	CFG_E_END_IRQ,		/* a link end's interrupt is not one of the cell's pins */
	CFG_E_END_MEM,		/* a link end's memory or BAR0 over the cell's memory or another end */
	CFG_E_LINK_ARCH,	/* links or link ends where the arch has none */
	CFG_E_ROOT_PEER,	/* a cell's link end the root's configuration holds */
	CFG_NUM_RESULTS
};

struct cfg_status {
	enum cfg_result code;
	hvcfg_u64 detail;	/* offending value (address, count, index...) */
};

/*
 * What the consumer of a blob can handle. Every field must be set (ARCH_CFG_LIMITS() does): a
 * zero limit refuses everything it governs.
 */
struct cfg_limits {
	uint16_t arch;		/* HVCFG_ARCH_* this build runs on */
	uint32_t max_cpus;
	uint32_t console_types;	/* bit n: the hypervisor drives console type n (HVCFG_CONSOLE_*) */
	uint32_t pio_ports;	/* port-I/O regions end at or below this port (0: none granted) */
	uint32_t max_pci_devices; /* per cell (0: the arch assigns none) */
	hvcfg_u64 ipa_limit;	/* guest-physical ranges end at or below this */
	hvcfg_u64 hv_va_limit;	/* hypervisor memory, GIC and debug console end at or below this */
	hvcfg_u64 hv_mem_align;	/* hypervisor memory base alignment (power of 2) */
	hvcfg_u64 hv_mem_span;	/* hypervisor memory inside one aligned block of this (power of 2) */
	uint32_t cell_flags;	/* arch HVCFG_CELL_* modes a non-root cell may ask for (IRQ_DIRECT) */
	uint32_t max_ivshmem_ends; /* link ends per cell (0: the arch has no links yet) */
};

int cfg_check_system(const void *blob, size_t len, const struct cfg_limits *lim,
		     struct cfg_status *st);
int cfg_check_cell(const void *blob, size_t len, const struct cfg_limits *lim,
		   uint32_t num_cpus, struct cfg_status *st);
/* config_cross.c: both blobs valid, and the cell fits the system as configured. */
int cfg_check_cell_in_system(const void *sys, size_t sys_len, const void *cell, size_t cell_len,
			     const struct cfg_limits *lim, struct cfg_status *st);
const char *cfg_result_text(enum cfg_result code);
/*
 * config_ivshmem.c: a descriptor's link ends on their own (count, fields, against the cell's
 * own resources), the system's link table, and a descriptor's ends against that table.
 */
int cfg_check_ends(const void *blob, uint32_t total, const struct hvcfg_cell_desc *cell,
		   const struct cfg_limits *lim, struct cfg_status *st);
int cfg_check_links(const struct hvcfg_system *sys, struct cfg_status *st);
int cfg_check_ends_in_system(const struct hvcfg_system *sys, const void *blob,
			     const struct hvcfg_cell_desc *cell, const struct cfg_limits *lim,
			     struct cfg_status *st);
/* Records code and detail in st; returns the code's negative errno (for arch checks). */
int cfg_fail(struct cfg_status *st, enum cfg_result code, hvcfg_u64 detail);
int cfg_result_errno(enum cfg_result code);
uint32_t cfg_crc32(const void *data, size_t len, size_t skip_offset);

#define CFG_PAGE_SIZE	4096ULL

static inline int cfg_overlaps(hvcfg_u64 a, hvcfg_u64 a_size, hvcfg_u64 b, hvcfg_u64 b_size)
{
	return a < b + b_size && b < a + a_size;
}

/* Non-empty, page-aligned, not wrapping around. */
static inline int cfg_range_sane(hvcfg_u64 start, hvcfg_u64 size)
{
	return size && start % CFG_PAGE_SIZE == 0 && size % CFG_PAGE_SIZE == 0 &&
	       start + size > start;
}

/* Does [base, base + size) end at or below limit? Overflow-proof. */
static inline int cfg_below(hvcfg_u64 base, hvcfg_u64 size, hvcfg_u64 limit)
{
	return base < limit && size <= limit - base;
}

/*
 * n / d (d != 0) by shift and subtract: the 32-bit builds (the ARMv7 driver, hypervisor) have no
 * 64-bit division instruction, and the helper gcc would call is not exported by the kernel.
 */
static inline hvcfg_u64 cfg_div64(hvcfg_u64 n, hvcfg_u64 d)
{
	hvcfg_u64 q = 0, r = 0, carry;
	int bit;

	for (bit = 63; bit >= 0; bit--) {
		carry = r >> 63;	/* r << 1 would lose it: then r exceeds d anyway */
		r = r << 1 | (n >> bit & 1);
		if (carry || r >= d) {
			r -= d;
			q |= 1ULL << bit;
		}
	}
	return q;
}

static inline const struct hvcfg_cpu *cfg_cpus(const struct hvcfg_system *sys)
{
	return (const void *)((const char *)sys + sys->cpu_table_offset);
}

/* The hardware id of CPU n of the CPU table (opaque here: see config_arch_<arch>.h). */
static inline hvcfg_u64 cfg_cpu_hw_id(const struct hvcfg_system *sys, unsigned int n)
{
	return cfg_cpus(sys)[n].hw_id;
}

static inline const struct hvcfg_memory_region *
cfg_mem_regions(const void *blob, const struct hvcfg_cell_desc *cell)
{
	return (const void *)((const char *)blob + cell->mem_regions_offset);
}

static inline const struct hvcfg_irqchip *cfg_irqchips(const void *blob,
						       const struct hvcfg_cell_desc *cell)
{
	return (const void *)((const char *)blob + cell->irqchips_offset);
}

static inline const struct hvcfg_pio_region *cfg_pio_regions(const void *blob,
							     const struct hvcfg_cell_desc *cell)
{
	return (const void *)((const char *)blob + cell->pio_regions_offset);
}

static inline const struct hvcfg_pci_device *cfg_pci_devices(const void *blob,
							     const struct hvcfg_cell_desc *cell)
{
	return (const void *)((const char *)blob + cell->pci_devices_offset);
}

/* Is pin set in the entry? pin is any value: outside the entry's range it is not. */
static inline int cfg_irqchip_has(const struct hvcfg_irqchip *chip, hvcfg_u32 pin)
{
	hvcfg_u32 bit = pin - chip->pin_base;

	if (pin < chip->pin_base || bit >= HVCFG_IRQCHIP_PINS)
		return 0;
	return (chip->pin_bitmap[bit / 64] >> (bit % 64)) & 1;
}

/* Does the descriptor own pin of the controller (address, id)? Its entries proven in bounds. */
static inline int cfg_desc_has_irq(const void *blob, const struct hvcfg_cell_desc *cell,
				   hvcfg_u64 address, hvcfg_u32 id, hvcfg_u32 pin)
{
	const struct hvcfg_irqchip *chips = cfg_irqchips(blob, cell);
	hvcfg_u32 n;

	for (n = 0; n < cell->num_irqchips; n++)
		if (chips[n].address == address && chips[n].id == id &&
		    cfg_irqchip_has(&chips[n], pin))
			return 1;
	return 0;
}

static inline const struct hvcfg_ivshmem_link *cfg_links(const struct hvcfg_system *sys)
{
	return (const void *)((const char *)sys + sys->ivshmem_links_offset);
}

static inline const struct hvcfg_ivshmem_end *cfg_ivshmem_ends(const void *blob,
							       const struct hvcfg_cell_desc *cell)
{
	return (const void *)((const char *)blob + cell->ivshmem_ends_offset);
}

/* Bytes of a link's memory: state table, R/W section, the output sections. Checked links only. */
static inline hvcfg_u64 cfg_link_size(const struct hvcfg_ivshmem_link *link)
{
	return link->state_size + link->rw_size + link->out_size * link->num_peers;
}

static inline const hvcfg_u64 *cfg_cpu_set(const void *blob, const struct hvcfg_cell_desc *cell)
{
	return (const void *)((const char *)blob + cell->cpu_set_offset);
}

static inline int cfg_cpu_in_set(const void *blob, const struct hvcfg_cell_desc *cell,
				 unsigned int cpu)
{
	if (cpu / 64 >= cell->num_cpu_words)
		return 0;
	return (cfg_cpu_set(blob, cell)[cpu / 64] >> (cpu % 64)) & 1;
}

/*
 * The arch validator: what the generic checks cannot know. Each check returns 0, or fills st
 * (cfg_fail()) and returns its negative errno.
 */
/* The platform section (hvcfg_platform.arch) and what the hypervisor maps for itself of it. */
int cfg_arch_check_system(const struct hvcfg_system *sys, const struct cfg_limits *lim,
			  struct cfg_status *st);
/* One CPU hardware id (hvcfg_cpu.hw_id); uniqueness is checked generically. */
int cfg_arch_check_cpu_id(hvcfg_u64 hw_id, struct cfg_status *st);
/*
 * One owned pin of an interrupt resource entry. sys: the system the descriptor belongs to, or
 * NULL for a cell blob on its own (then only what holds on any system is checked; the cross
 * check proves the rest, the cell's pins being the root's).
 */
int cfg_arch_check_irq(const struct hvcfg_system *sys, const struct hvcfg_irqchip *chip,
		       hvcfg_u32 pin, struct cfg_status *st);
/* A root cell memory region against the platform (devices that must stay trapped). */
int cfg_arch_check_root_region(const struct hvcfg_system *sys,
			       const struct hvcfg_memory_region *r, struct cfg_status *st);
/*
 * One PCI device of a descriptor, what the arch gives meaning to (its IOMMU unit). sys as for
 * cfg_arch_check_irq(); the cross check calls it again for a cell's devices with the system.
 */
int cfg_arch_check_pci(const struct hvcfg_system *sys, const struct hvcfg_pci_device *dev,
		       struct cfg_status *st);
/* Bytes at the start of hvcfg_platform.arch the arch reads; the rest must be zero. */
hvcfg_u32 cfg_arch_platform_used(void);

#endif
