/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * ARMv7's exit counters, after the generic ones of hypercall.h. Their names are the sysfs
 * attributes (vmexits_<name>) the driver shows and the CLI prints: an ABI, keep them stable.
 * The first five mean what they mean on arm64 (arm-common counts them).
 */
#ifndef HV_ARM_EXIT_REASONS_H
#define HV_ARM_EXIT_REASONS_H

#define EXIT_MAINTENANCE		(EXIT_ARCH_FIRST + 0)	/* GIC maintenance interrupt */
#define EXIT_VIRQ			(EXIT_ARCH_FIRST + 1)	/* interrupt for the guest */
#define EXIT_VSGI			(EXIT_ARCH_FIRST + 2)	/* guest's GICD_SGIR write */
#define EXIT_PSCI			(EXIT_ARCH_FIRST + 3)
#define EXIT_SMCCC			(EXIT_ARCH_FIRST + 4)
#define EXIT_CP15			(EXIT_ARCH_FIRST + 5)	/* trapped cp15/cp14 access */
#define EXIT_WFI			(EXIT_ARCH_FIRST + 6)
#define EXIT_WFE			(EXIT_ARCH_FIRST + 7)
#define NUM_ARCH_EXIT_REASONS		8

#define ARCH_EXIT_STAT_NAMES \
	"maintenance", "virt_irq", "virt_sgi", "psci", "smccc", "cp15", "wfi", "wfe"

#endif
