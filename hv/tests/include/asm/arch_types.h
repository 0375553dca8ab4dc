/* SPDX-License-Identifier: GPL-2.0 */
/* Host stand-ins for the arch types, so core code compiles for unit tests. */
#ifndef HV_TEST_ARCH_TYPES_H
#define HV_TEST_ARCH_TYPES_H

#include <stdint.h>
#include <stdbool.h>

/* Interrupts cells own, by index (the fake arch: INTIDs of one GIC-like controller). */
#define ARCH_NUM_IRQS		1024

typedef struct {
	volatile uint32_t locked;
} spinlock_t;

#define ARCH_CELL_MAX_MMIO	(4 + CONFIG_MAX_CPUS)
#define ARCH_STAGE2_BLOCK_SIZE	(1ULL << 21)
/* "physical" memory is host memory at its own address (test_cell.c) */
#define ARCH_HV_VIRT_OFFSET	0UL
#define ARCH_PCI_ROOT_LISTED_ONLY	true

struct arch_cpu {
	int unused;
};

struct arch_cell {
	int unused;
};

#endif
