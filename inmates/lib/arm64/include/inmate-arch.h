/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The arm64 part of the inmate API (included by inmate.h): memory map, PSCI and SMP, GICv3,
 * the EL1 virtual timer's IRQ and hypercalls.
 */
#ifndef INMATE_ARCH_H
#define INMATE_ARCH_H

#include "arm64.h"

/* --- memory map -------------------------------------------------------------------------- */

enum map_type { MAP_DEVICE, MAP_NORMAL, MAP_NORMAL_NOEXEC };
/* Identity-map [addr, addr + size) at page granularity; only before the MMU is on. */
int map_range(u64 addr, u64 size, enum map_type type);
/*
 * The same, also over live mappings (break-before-make), e.g. shared memory found at run time
 * inside the Device window; refused (-1) for a range that touches the image itself.
 */
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
#define CONTEXT_ID_REG			"x0"

/* Whether PSCI uses smc (in a cell: the hypervisor traps it) or hvc (QEMU without EL2). */
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
 * CPU_ON; it runs fn on its own stack with its vectors, MMU and GIC interface set up. fn gets
 * the context id it found in x0. Returns a PSCI status (INVALID_PARAMETERS beyond the limit).
 */
long smp_start_cpu(unsigned int cpu, u64 mpidr, cpu_fn_t fn);
/*
 * How many logical CPUs the image has stacks for: the CPU count of the cell it was linked for
 * (16 when that was not known), at most MAX_CPUS.
 */
unsigned int smp_cpu_limit(void);
/* Context id smp_start_cpu() passes for logical CPU cpu. */
u64 smp_context_id(unsigned int cpu);

/* --- interrupts (GICv3) ------------------------------------------------------------------ */

#define IRQ_VTIMER		27
#define IRQ_TIMER		IRQ_VTIMER
#define IRQ_SPURIOUS		1023

/* entry_ticks: virtual counter read by the first instructions of the IRQ vector. */
typedef void (*irq_handler_t)(unsigned int irq, u64 entry_ticks);

/* Set up the distributor (once), this CPU's redistributor and CPU interface. */
void irq_init(irq_handler_t handler);
void irq_enable(unsigned int irq);
void irq_disable(unsigned int irq);
/* Send SGI irq (0..15) to the CPU with affinity mpidr. */
void irq_send_sgi(unsigned int irq, u64 mpidr);

/* --- PCI (ECAM, bus 0) ------------------------------------------------------------------- */

#define PCI_CFG_COMMAND		0x04
#define  PCI_CMD_MEM		(1 << 1)
#define  PCI_CMD_MASTER		(1 << 2)
#define  PCI_CMD_INTX_OFF	(1 << 10)
#define PCI_CFG_BAR0		0x10
#define PCI_CFG_INT_LINE	0x3c

/* The ECAM window: ecam= on the command line, else the comm region's, else the build default. */
u64 pci_ecam_base(void);
/* Map the window's bus 0 (Device memory); 0 or -1. Needed before the functions below. */
int pci_init(void);
/* bdf: device << 3 | function on bus 0; size 1, 2 or 4. Reads all ones before pci_init(). */
u32 pci_read_config(u16 bdf, unsigned int reg, unsigned int size);
void pci_write_config(u16 bdf, unsigned int reg, u32 val, unsigned int size);
/* The first function with these ids at or after bdf from; -1 if none. */
int pci_find_device(u16 vendor, u16 device, unsigned int from);
/* Offset of the capability with this id in the function's list, 0 if none. */
unsigned int pci_find_cap(u16 bdf, u8 id);

/* --- hypercalls -------------------------------------------------------------------------- */

static inline long hypercall(u64 code, u64 arg1, u64 arg2)
{
	register u64 x0 __asm__("x0") = code;
	register u64 x1 __asm__("x1") = arg1;
	register u64 x2 __asm__("x2") = arg2;

	__asm__ volatile("hvc #" __stringify(HV_HVC_IMM)
			 : "+r" (x0), "+r" (x1), "+r" (x2)
			 : : "x3", "memory");
	return (long)x0;
}

#endif
