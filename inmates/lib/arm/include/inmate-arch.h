/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The ARMv7 part of the inmate API (included by inmate.h): memory map, PSCI and SMP, GICv2,
 * the PL1 virtual timer's IRQ and hypercalls. The same names as arm64's where the two agree.
 */
#ifndef INMATE_ARCH_H
#define INMATE_ARCH_H

#include "arm.h"

/* --- memory map -------------------------------------------------------------------------- */

/*
 * The library runs with the MMU off: every access is Strongly-ordered, so no cache needs
 * maintenance and no range needs mapping. These exist for programs shared with arm64 and do
 * nothing (0: the range is usable as it is).
 */
enum map_type { MAP_DEVICE, MAP_NORMAL, MAP_NORMAL_NOEXEC };
int map_range(u64 addr, u64 size, enum map_type type);
int remap_range(u64 addr, u64 size, enum map_type type);
bool mmu_enabled(void);

/* --- CPUs, PSCI and SMP ------------------------------------------------------------------ */

#define PSCI_SUCCESS			0
#define PSCI_NOT_SUPPORTED		-1
#define PSCI_INVALID_PARAMETERS		-2
#define PSCI_DENIED			-3
#define PSCI_ALREADY_ON			-4
#define PSCI_ON_PENDING			-5
#define PSCI_INTERNAL_FAILURE		-6

#define PSCI_AFFINITY_ON		0
#define PSCI_AFFINITY_OFF		1
#define PSCI_AFFINITY_ON_PENDING	2

/* The register a started CPU finds its context id in (for messages). */
#define CONTEXT_ID_REG			"r0"

/* Whether PSCI uses smc (in a cell: the hypervisor traps it) or hvc (QEMU without HYP). */
bool psci_uses_smc(void);
/* PSCI_VERSION: major << 16 | minor. */
u32 psci_version(void);
long psci_cpu_on(u64 mpidr, u64 entry, u64 context_id);
long psci_cpu_off(void);
long psci_affinity_info(u64 mpidr);
void psci_system_off(void);

u64 cpu_mpidr(void);

typedef void (*cpu_fn_t)(unsigned int cpu, u64 context_id);
/*
 * Start the CPU with affinity mpidr as logical CPU cpu (1..smp_cpu_limit()-1) with PSCI
 * CPU_ON; it runs fn on its own stack with its vectors and GIC CPU interface set up. fn gets
 * the context id it found in r0. Returns a PSCI status (INVALID_PARAMETERS beyond the limit).
 */
long smp_start_cpu(unsigned int cpu, u64 mpidr, cpu_fn_t fn);
/* How many logical CPUs the image has stacks for (the cell's CPU count, else 16). */
unsigned int smp_cpu_limit(void);
/* Context id smp_start_cpu() passes for logical CPU cpu (32 bits on ARMv7). */
u64 smp_context_id(unsigned int cpu);

/* --- interrupts (GICv2) ------------------------------------------------------------------ */

#define IRQ_VTIMER		27
#define IRQ_TIMER		IRQ_VTIMER
#define IRQ_SPURIOUS		1023

/* entry_ticks: virtual counter read by the first instructions of the IRQ vector. */
typedef void (*irq_handler_t)(unsigned int irq, u64 entry_ticks);

/* Set up the distributor (once) and this CPU's CPU interface (GICC, in a cell the GICV). */
void irq_init(irq_handler_t handler);
/* SPIs are routed to the calling CPU. */
void irq_enable(unsigned int irq);
void irq_disable(unsigned int irq);
/* Send SGI irq (0..15) to the CPU with affinity mpidr (GICD_SGIR, its CPU interface). */
void irq_send_sgi(unsigned int irq, u64 mpidr);
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
