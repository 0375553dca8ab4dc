/* SPDX-License-Identifier: GPL-2.0 */
/* arm64 types the core embeds in its per-CPU and cell structures. */
#ifndef HV_ARM64_ARCH_TYPES_H
#define HV_ARM64_ARCH_TYPES_H

#include <stdint.h>
#include <stdbool.h>

typedef struct {
	volatile uint32_t locked;
} spinlock_t;

/*
 * The queue of interrupts waiting for a list register covers every INTID the virtual
 * interface carries with 16 ID bits: SGIs, PPIs, SPIs and the LPIs Linux's ITS driver uses.
 * A summary bit per word keeps the scan short.
 */
#define GIC_QUEUE_INTIDS	65536
#define GIC_QUEUE_WORDS		(GIC_QUEUE_INTIDS / 64)

/* Interrupts cells own, by index (arch_irq_index()): the INTIDs of the GIC distributor. */
#define ARCH_NUM_IRQS		1024

struct arch_cpu {
	u64 saved_hcr;		/* the stub's HCR_EL2, MDCR_EL2 and CPTR_EL2, */
	u64 saved_mdcr;		/* restored on disable */
	u64 saved_cptr;
	u64 saved_icc_ctlr;
	volatile u64 pending[GIC_QUEUE_WORDS];	/* INTIDs waiting; <16: vSGIs */
	volatile u64 pending_words[GIC_QUEUE_WORDS / 64];	/* words with a bit set */
	void *gicr;			/* this CPU's redistributor frame */
	unsigned int num_lrs;
	bool full_pt;			/* runs on the complete EL2 page table */
	bool active;			/* traps its guest */
};

struct arch_cell {
	u64 *s2_root;
	u64 vttbr;
};

#endif
