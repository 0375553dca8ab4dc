/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The ARMv7 part of the inmate API (included by inmate.h): memory map, PSCI and SMP, GICv2,
 * the PL1 virtual timer's IRQ and hypercalls. The same names as arm64's where the two agree.
 */
#ifndef INMATE_ARCH_H
#define INMATE_ARCH_H

#include "arm.h"

#include "inmate-arm.h"

/*
 * Memory map (inmate-arm.h): the library runs with the MMU off, every access is
 * Strongly-ordered, so no cache needs maintenance and no range needs mapping: map_range() and
 * remap_range() exist for programs shared with arm64 and do nothing (0: the range is usable).
 */

/* The register a started CPU finds its context id in (for messages). */
#define CONTEXT_ID_REG			"r0"

/*
 * GIC (inmate-arm.h): GICv2; irq_init sets up this CPU's memory-mapped CPU interface (GICC, in
 * a cell the GICV); irq_send_sgi() writes GICD_SGIR with the target's CPU interface.
 */
/* The distributor and CPU interface in use (comm region, gicd=/gicc=, build defaults). */
uintptr_t gic_dist_base(void);
uintptr_t gic_cpu_base(void);

/* --- hypercalls -------------------------------------------------------------------------- */

static inline long hypercall(u32 code, u32 arg1, u32 arg2)
{
	register u32 r0 __asm__("r0") = code;
	register u32 r1 __asm__("r1") = arg1;
	register u32 r2 __asm__("r2") = arg2;

	__asm__ volatile(".arch_extension virt\n\thvc #" __stringify(HV_HVC_IMM)
			 : "+r" (r0), "+r" (r1), "+r" (r2)
			 : : "r3", "memory");
	return (long)(int)r0;
}

#endif
