/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The arm64 part of the inmate API (included by inmate.h): memory map, PSCI and SMP, GICv3,
 * the EL1 virtual timer's IRQ and hypercalls.
 */
#ifndef INMATE_ARCH_H
#define INMATE_ARCH_H

#include "arm64.h"

#include "inmate-arm.h"

/*
 * Memory map (inmate-arm.h): map_range() identity-maps [addr, addr + size) at page granularity,
 * only before the MMU is on; remap_range() also over live mappings (break-before-make), e.g.
 * shared memory found at run time inside the Device window, refused (-1) for a range that
 * touches the image itself.
 */

/* The register a started CPU finds its context id in (for messages). */
#define CONTEXT_ID_REG			"x0"

/* GIC (inmate-arm.h): GICv3, irq_init sets up this CPU's redistributor and CPU interface. */

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
