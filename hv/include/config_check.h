/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Structural checks of a system configuration blob. The same code runs in the driver (for
 * friendly errors before anything is touched) and in the hypervisor (which trusts nothing).
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
	CFG_NUM_RESULTS
};

struct cfg_status {
	enum cfg_result code;
	uint64_t detail;	/* offending value (address, count, index...) */
};

struct cfg_limits {
	uint16_t arch;		/* HVCFG_ARCH_* this build runs on */
	uint32_t max_cpus;
};

int cfg_check_system(const void *blob, size_t len, const struct cfg_limits *lim,
		     struct cfg_status *st);
int cfg_check_cell(const void *blob, size_t len, const struct cfg_limits *lim,
		   uint32_t num_cpus, struct cfg_status *st);
const char *cfg_result_text(enum cfg_result code);
int cfg_result_errno(enum cfg_result code);
uint32_t cfg_crc32(const void *data, size_t len, size_t skip_offset);

static inline const struct hvcfg_cpu *cfg_cpus(const struct hvcfg_system *sys)
{
	return (const void *)((const char *)sys + sys->cpu_table_offset);
}

static inline const struct hvcfg_memory_region *
cfg_mem_regions(const void *blob, const struct hvcfg_cell_desc *cell)
{
	return (const void *)((const char *)blob + cell->mem_regions_offset);
}

static inline const uint64_t *cfg_cpu_set(const void *blob, const struct hvcfg_cell_desc *cell)
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
