/* SPDX-License-Identifier: GPL-2.0 */
/* Per-CPU state of the virtual interrupt engine (arm-common/vgic.c), in struct arch_cpu. */
#ifndef HV_ARM_COMMON_VGIC_TYPES_H
#define HV_ARM_COMMON_VGIC_TYPES_H

/*
 * The queue of interrupts waiting for a list register covers every INTID the virtual
 * interface carries with 16 ID bits: SGIs, PPIs, SPIs and the LPIs Linux's ITS driver uses.
 * A summary bit per word keeps the scan short, and a bit per summary word tells at one look
 * whether anything waits at all (what every IRQ exit asks first: arm64's gic_fast.c).
 */
#define VGIC_QUEUE_INTIDS	65536
#define VGIC_QUEUE_WORDS	(VGIC_QUEUE_INTIDS / 64)
#define VGIC_MAX_LRS		16

struct vgic_cpu {
	volatile u64 pending[VGIC_QUEUE_WORDS];			/* INTIDs waiting; <16: vSGIs */
	volatile u64 pending_words[VGIC_QUEUE_WORDS / 64];	/* words with a bit set */
	volatile u64 pending_top;			/* pending_words[] not zero */
	unsigned int num_lrs;
	/* list registers that may hold an interrupt: the only ones read, as Linux's used_lrs */
	u32 used_lrs;
};

#endif
