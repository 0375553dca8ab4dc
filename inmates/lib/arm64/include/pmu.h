/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The PMU as gic-demo's pmu option uses it (bench/irq-latency): the cycle counter, and event
 * counter 0 counting instructions retired at EL2 only (the hypervisor's work on this CPU).
 */
#ifndef INMATE_PMU_H
#define INMATE_PMU_H

#include "arm64.h"

#define PMCR_E			(1UL << 0)
#define PMCR_P			(1UL << 1)
#define PMCR_C			(1UL << 2)
#define PMU_FILTER_P		(1UL << 31)	/* do not count at EL1 */
#define PMU_FILTER_U		(1UL << 30)	/* do not count at EL0 */
#define PMU_FILTER_NSH		(1UL << 27)	/* count at EL2 */
#define PMU_INST_RETIRED	0x08

/* Reset and start both counters; false where the library has no PMU support. */
static inline bool pmu_start(void)
{
	write_sysreg(pmcr_el0, PMCR_P | PMCR_C);
	write_sysreg(pmccfiltr_el0, PMU_FILTER_NSH);
	write_sysreg(pmevtyper0_el0, PMU_FILTER_P | PMU_FILTER_U | PMU_FILTER_NSH |
		     PMU_INST_RETIRED);
	write_sysreg(pmcntenset_el0, (1UL << 31) | 1);
	write_sysreg(pmcr_el0, PMCR_E);
	isb();
	return true;
}

static inline unsigned long long pmu_cycles(void)
{
	return read_sysreg(pmccntr_el0);
}

static inline unsigned long long pmu_el2_insns(void)
{
	return read_sysreg(pmevcntr0_el0);
}

/* Whether the CPU implements the instructions-retired event (QEMU: only under -icount). */
static inline bool pmu_insn_event_supported(void)
{
	return read_sysreg(pmceid0_el0) & (1UL << PMU_INST_RETIRED);
}

#endif
