/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The part of the inmate API that arm64 and ARMv7 share (included by their inmate-arch.h, after
 * their register helpers): memory map calls, PSCI and SMP, the GIC interface and the virtual
 * timer's interrupt. What the calls do on each is in the architecture's inmate-arch.h.
 */
#ifndef INMATE_ARM_COMMON_H
#define INMATE_ARM_COMMON_H

/* --- memory map -------------------------------------------------------------------------- */

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

/* Whether PSCI uses smc (in a cell: the hypervisor traps it) or hvc (QEMU without EL2/HYP). */
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
 * CPU_ON; it runs fn on its own stack with its vectors (arm64: and MMU) and GIC interface set
 * up. fn gets the context id it found in CONTEXT_ID_REG. Returns a PSCI status
 * (INVALID_PARAMETERS beyond the limit).
 */
long smp_start_cpu(unsigned int cpu, u64 mpidr, cpu_fn_t fn);
/*
 * How many logical CPUs the image has stacks for: the CPU count of the cell it was linked for
 * (16 when that was not known), at most MAX_CPUS.
 */
unsigned int smp_cpu_limit(void);
/* Context id smp_start_cpu() passes for logical CPU cpu (32 bits on ARMv7). */
u64 smp_context_id(unsigned int cpu);

/* --- interrupts -------------------------------------------------------------------------- */

#define IRQ_VTIMER		27
#define IRQ_TIMER		IRQ_VTIMER
#define IRQ_SPURIOUS		1023

/* entry_ticks: virtual counter read by the first instructions of the IRQ vector. */
typedef void (*irq_handler_t)(unsigned int irq, u64 entry_ticks);

/* Set up the distributor (once) and this CPU's part of the GIC. */
void irq_init(irq_handler_t handler);
/* SPIs are routed to the calling CPU. */
void irq_enable(unsigned int irq);
void irq_disable(unsigned int irq);
/* Send SGI irq (0..15) to the CPU with affinity mpidr. */
void irq_send_sgi(unsigned int irq, u64 mpidr);

#endif
