/* SPDX-License-Identifier: GPL-2.0 */
/* arm64 types the core embeds in its per-CPU and cell structures. */
#ifndef HV_ARM64_ARCH_TYPES_H
#define HV_ARM64_ARCH_TYPES_H

#include <stdint.h>
#include <stdbool.h>

typedef struct {
	volatile uint32_t locked;
} spinlock_t;

struct arch_cpu {
	uint64_t saved_hcr;		/* the stub's HCR_EL2, MDCR_EL2 and CPTR_EL2, */
	uint64_t saved_mdcr;		/* restored on disable */
	uint64_t saved_cptr;
	uint64_t saved_icc_ctlr;
	volatile uint64_t pending[16];	/* INTIDs waiting for a list register; <16: vSGIs */
	void *gicr;			/* this CPU's redistributor frame */
	unsigned int num_lrs;
	bool full_pt;			/* runs on the complete EL2 page table */
	bool active;			/* traps its guest */
};

struct arch_cell {
	uint64_t *s2_root;
	uint64_t vttbr;
};

#endif
