/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Checks of configuration blobs: the one validator. The same code runs in the driver (for
 * friendly errors before anything is touched), in the hypervisor (which trusts nothing) and on
 * the host (build/host/libhvcfg.so, which configgen runs on every blob it writes or reads).
 * What the architecture can map comes in as data (struct cfg_limits, filled from
 * asm/cfg_limits.h with ARCH_CFG_LIMITS()), never as a conditional in this code.
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
	CFG_E_MAGIC,
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
	CFG_E_EL2_VA,		/* hypervisor memory or a device beyond what EL2 may map */
	/* a cell against its system (cfg_check_cell_in_system) */
	CFG_E_DIGEST,		/* made for another system blob */
	CFG_E_ROOT_CPU,		/* a CPU the root cell does not have */
	CFG_E_ROOT_MEM,		/* a region not inside one root region of the same kind */
	CFG_E_ROOT_IRQ,		/* an SPI the root cell does not have */
	CFG_E_POOL,		/* cell RAM outside the root's cell-pool regions */
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
	hvcfg_u64 ipa_limit;	/* guest-physical ranges end at or below this */
	hvcfg_u64 el2_va_limit;	/* hypervisor memory, GIC and debug console end at or below this */
	hvcfg_u64 hv_mem_align;	/* hypervisor memory base alignment (power of 2) */
	hvcfg_u64 hv_mem_span;	/* hypervisor memory inside one aligned block of this (power of 2) */
};

int cfg_check_system(const void *blob, size_t len, const struct cfg_limits *lim,
		     struct cfg_status *st);
int cfg_check_cell(const void *blob, size_t len, const struct cfg_limits *lim,
		   uint32_t num_cpus, struct cfg_status *st);
/* config_cross.c: both blobs valid, and the cell fits the system as configured. */
int cfg_check_cell_in_system(const void *sys, size_t sys_len, const void *cell, size_t cell_len,
			     const struct cfg_limits *lim, struct cfg_status *st);
const char *cfg_result_text(enum cfg_result code);
int cfg_result_errno(enum cfg_result code);
uint32_t cfg_crc32(const void *data, size_t len, size_t skip_offset);

static inline const struct hvcfg_cpu *cfg_cpus(const struct hvcfg_system *sys)
{
	return (const void *)((const char *)sys + sys->cpu_table_offset);
}

/* The hardware id of CPU n of the CPU table (revision 1: the arm64 MPIDR affinity). */
static inline hvcfg_u64 cfg_cpu_hw_id(const struct hvcfg_system *sys, unsigned int n)
{
	return cfg_cpus(sys)[n].mpidr;
}

static inline const struct hvcfg_memory_region *
cfg_mem_regions(const void *blob, const struct hvcfg_cell_desc *cell)
{
	return (const void *)((const char *)blob + cell->mem_regions_offset);
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

#endif
