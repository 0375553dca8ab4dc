/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A stand-in ARM arch for compiling hv/arch/arm-common alone (make portability): a 32-bit ARMv7
 * port must be able to build the shared code unchanged, so it is built for armv7a as well.
 */
#ifndef HV_TEST_ARM_ARCH_TYPES_H
#define HV_TEST_ARM_ARCH_TYPES_H

#include <stdint.h>
#include <stdbool.h>
#include <asm/vgic_types.h>

typedef struct {
	volatile uint32_t locked;
} spinlock_t;

#define ARCH_NUM_IRQS		1024	/* GIC INTIDs, by arch_irq_index() */
#define ARCH_CELL_MAX_MMIO	(4 + CONFIG_MAX_CPUS)
#define ARCH_STAGE2_BLOCK_SIZE	(1ULL << 21)
#define ARCH_HV_VIRT_OFFSET	0UL

struct arch_cpu {
	struct vgic_cpu vgic;
	bool full_pt;
};

struct arch_cell {
	u64 *s2_root;
	u64 vttbr;
};

#endif
