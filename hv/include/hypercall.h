/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Hypercall ABI, numbered like Jailhouse so guests written for it work here: a code and two
 * arguments in, one result out; errors are negative errno values. How a guest makes the call
 * (instruction, registers) is the architecture's: hypercall_<arch>.h.
 */
#ifndef HV_HYPERCALL_H
#define HV_HYPERCALL_H

#include "hypercall_arm.h"
#include "hypercall_x86.h"

#define HC_DISABLE			0
#define HC_CELL_CREATE			1
#define HC_CELL_START			2
#define HC_CELL_SET_LOADABLE		3
#define HC_CELL_DESTROY			4
#define HC_HYPERVISOR_GET_INFO		5
#define HC_CELL_GET_STATE		6
#define HC_CPU_GET_INFO			7
#define HC_DEBUG_CONSOLE_PUTC		8

/* HC_HYPERVISOR_GET_INFO argument */
#define HC_INFO_MEM_POOL_SIZE		0
#define HC_INFO_MEM_POOL_USED		1
#define HC_INFO_REMAP_POOL_SIZE		2
#define HC_INFO_REMAP_POOL_USED		3
#define HC_INFO_NUM_CELLS		4

/* HC_CPU_GET_INFO type: state, or HC_CPU_INFO_STAT_BASE + counter */
#define HC_CPU_INFO_STATE		0
#define HC_CPU_INFO_STAT_BASE		1000
#define HC_CPU_RUNNING			0
#define HC_CPU_FAILED			2

/*
 * Exit counters: the generic ones first, then the architecture's, which its
 * asm/exit_reasons.h defines from EXIT_ARCH_FIRST on with their names (ARCH_EXIT_STAT_NAMES)
 * and count (NUM_ARCH_EXIT_REASONS). NUM_EXIT_REASONS and HV_EXIT_STAT_NAMES need that header
 * included where they are used (hypervisor, driver, CLI).
 */
#define EXIT_TOTAL			0
#define EXIT_MMIO			1
#define EXIT_MANAGEMENT			2
#define EXIT_HYPERCALL			3
#define EXIT_ARCH_FIRST			4
#define NUM_EXIT_REASONS		(EXIT_ARCH_FIRST + NUM_ARCH_EXIT_REASONS)

#define HV_EXIT_STAT_NAMES { "total", "mmio", "management", "hypercall", ARCH_EXIT_STAT_NAMES }

#endif
