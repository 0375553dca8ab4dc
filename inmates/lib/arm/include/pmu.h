/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * gic-demo's pmu option (lib/arm64/include/pmu.h): not supported by the ARMv7 library; its
 * 32-bit cycle counter would wrap every few seconds at QEMU's 1 GHz. The counter-based latency
 * works without it.
 */
#ifndef INMATE_PMU_H
#define INMATE_PMU_H

static inline bool pmu_start(void)
{
	return false;
}

static inline unsigned long long pmu_cycles(void)
{
	return 0;
}

static inline unsigned long long pmu_el2_insns(void)
{
	return 0;
}

static inline bool pmu_insn_event_supported(void)
{
	return false;
}

#endif
