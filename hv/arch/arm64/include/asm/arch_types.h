/* SPDX-License-Identifier: GPL-2.0 */
/* arm64 types the core embeds in its per-CPU and cell structures. */
#ifndef HV_ARM64_ARCH_TYPES_H
#define HV_ARM64_ARCH_TYPES_H

#include <stdint.h>
#include <stdbool.h>
#include <asm/cfg_limits.h>
#include <asm/vgic_types.h>	/* arm-common: the virtual interrupt engine's state */

typedef struct {
	volatile uint32_t locked;
} spinlock_t;

/*
 * Emulated MMIO regions per cell: GICD, GICR, ITS, with room for a redistributor per CPU, the
 * ECAM window and a register page per link end.
 */
#define ARCH_CELL_MAX_MMIO	(4 + CONFIG_MAX_CPUS + ARM64_MAX_IVSHMEM_ENDS)

/*
 * The smallest stage-2 block above a page (level 2 of the 4 KiB granule): the core widens
 * ranges it gives back to the root to it, so split blocks merge again.
 */
#define ARCH_STAGE2_BLOCK_SIZE	ARM64_BLOCK_SIZE

/*
 * PCI functions no non-root cell holds are the root's, listed in its configuration or not
 * (functions QEMU adds, hot-plugged ones): the root's Linux had them all before enable.
 */
#define ARCH_PCI_ROOT_LISTED_ONLY	false

/* The hypervisor runs on a 1:1 map of its memory at EL2. */
#define ARCH_HV_VIRT_OFFSET	0UL

/* Interrupts cells own, by index (arch_irq_index()): the INTIDs of the GIC distributor. */
#define ARCH_NUM_IRQS		1024

struct arch_cpu {
	u64 saved_hcr;		/* the stub's HCR_EL2, MDCR_EL2 and CPTR_EL2, */
	u64 saved_mdcr;		/* restored on disable */
	u64 saved_cptr;
	u64 saved_icc_ctlr;
	u64 saved_igrpen0;	/* Linux's Group 0 CPU interface state, restored on disable */
	u64 saved_bpr0;
	u32 saved_hv_sgi_prio;	/* GICR_IPRIORITYR of SGIs 12-15 before the hypervisor's, */
	u32 saved_hv_sgi_state;	/* their enables and (>> 2) groups */
	bool hv_sgis;			/* SGIs 14 and 15 are the hypervisor's (Group 0) */
	struct vgic_cpu vgic;		/* interrupts queued for the guest, list registers */
	void *gicr;			/* this CPU's redistributor frame */
	bool full_pt;			/* runs on the complete EL2 page table */
	bool active;			/* traps its guest */
	bool direct;			/* guest takes its interrupts itself (direct mode) */
};

struct arch_cell {
	u64 *s2_root;
	u64 vttbr;
};

#endif
