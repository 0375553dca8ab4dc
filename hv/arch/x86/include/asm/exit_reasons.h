/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * x86's exit counters, after the generic ones of hypercall.h. Their names are the sysfs
 * attributes (vmexits_<name>) the driver shows and the CLI prints: an ABI, keep them stable.
 * Constants only: the hypervisor, the driver and the CLI include it.
 */
#ifndef HV_X86_EXIT_REASONS_H
#define HV_X86_EXIT_REASONS_H

#define EXIT_XAPIC			(EXIT_ARCH_FIRST + 0)	/* local APIC register access */
#define EXIT_PIO			(EXIT_ARCH_FIRST + 1)	/* intercepted IN/OUT */
#define EXIT_MSR			(EXIT_ARCH_FIRST + 2)	/* intercepted RDMSR/WRMSR */
#define EXIT_CPUID			(EXIT_ARCH_FIRST + 3)
#define EXIT_CR				(EXIT_ARCH_FIRST + 4)	/* control register / EFER write */
#define EXIT_EXCEPTION			(EXIT_ARCH_FIRST + 5)	/* intercepted exception */
#define EXIT_INIT_SIPI			(EXIT_ARCH_FIRST + 6)	/* INIT or SIPI handled for a CPU */
#define NUM_ARCH_EXIT_REASONS		7

#define ARCH_EXIT_STAT_NAMES \
	"xapic", "pio", "msr", "cpuid", "cr", "exception", "init_sipi"

#endif
