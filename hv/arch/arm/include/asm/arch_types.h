/* SPDX-License-Identifier: GPL-2.0 */
/* ARMv7 types the core embeds in its per-CPU and cell structures. */
#ifndef HV_ARM_ARCH_TYPES_H
#define HV_ARM_ARCH_TYPES_H

#include <stdint.h>
#include <stdbool.h>
#include <asm/cfg_limits.h>
#include <asm/vgic_types.h>	/* arm-common: the virtual interrupt engine's state */

typedef struct {
	volatile uint32_t locked;
} spinlock_t;

/* Emulated MMIO regions per cell: the GICD, with room for the GIC's and a few more. */
#define ARCH_CELL_MAX_MMIO	8

/* The smallest stage-2 block above a page (level 2 of the 4 KiB granule). */
#define ARCH_STAGE2_BLOCK_SIZE	ARM32_BLOCK_SIZE

/* No PCI functions are assigned on ARMv7 (asm/cfg_limits.h). */
#define ARCH_PCI_ROOT_LISTED_ONLY	false

/* Hyp mode runs on a 1:1 map of the hypervisor memory (asm/cfg_limits.h: below 4 GiB). */
#define ARCH_HV_VIRT_OFFSET	0UL

/* Interrupts cells own, by index (arch_irq_index()): the INTIDs of the GIC distributor. */
#define ARCH_NUM_IRQS		1024

struct arch_cpu {
	u32 stub_hvbar;		/* the Linux stub's vectors and HSCTLR, back on disable */
	u32 stub_hsctlr;
	u32 saved_hcr;		/* the stub's HCR, HCPTR, HSTR and HDCR, restored on disable */
	u32 saved_hcptr;
	u32 saved_hstr;
	u32 saved_hdcr;
	struct vgic_cpu vgic;	/* interrupts queued for the guest, list registers */
	bool full_pt;		/* runs on the complete Hyp page table */
	bool active;		/* traps its guest */
};

struct arch_cell {
	u64 *s2_root;
	u64 vttbr;
};

#endif
