// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * PSCI (SMC32 calling convention) through smc (in a cell, where the hypervisor traps SMC) or
 * hvc (QEMU's own PSCI when it runs us without HYP). The build picks the default, psci=smc|hvc
 * overrides it.
 */
#include "internal.h"

#define PSCI_VERSION		0x84000000
#define PSCI_CPU_OFF		0x84000002
#define PSCI_CPU_ON_32		0x84000003
#define PSCI_AFFINITY_INFO_32	0x84000004
#define PSCI_SYSTEM_OFF		0x84000008

static int conduit = -1;	/* -1 unknown, 0 hvc, 1 smc */

bool psci_uses_smc(void)
{
	char buf[4];

	if (conduit < 0) {
		conduit = inmate_defaults.psci_smc;
		if (cmdline_get_str("psci", buf, sizeof(buf)) && !strncmp(buf, "smc", 4))
			conduit = 1;
		else if (cmdline_get_str("psci", buf, sizeof(buf)) && !strncmp(buf, "hvc", 4))
			conduit = 0;
	}
	return conduit;
}

/* SMCCC 1.0 (32-bit) lets the callee clobber r0..r3 and r12. */
#define DEFINE_PSCI_CALL(name, insn)						\
static long name(u32 fn, u32 a1, u32 a2, u32 a3)				\
{										\
	register u32 r0 __asm__("r0") = fn;					\
	register u32 r1 __asm__("r1") = a1;					\
	register u32 r2 __asm__("r2") = a2;					\
	register u32 r3 __asm__("r3") = a3;					\
										\
	__asm__ volatile(".arch_extension sec\n\t.arch_extension virt\n\t"	\
			 insn " #0" : "+r" (r0), "+r" (r1), "+r" (r2), "+r" (r3)	\
			 : : "r12", "memory");					\
	return (long)(int)r0;							\
}

DEFINE_PSCI_CALL(psci_smc, "smc")
DEFINE_PSCI_CALL(psci_hvc, "hvc")

static long psci_call(u32 fn, u32 a1, u32 a2, u32 a3)
{
	return psci_uses_smc() ? psci_smc(fn, a1, a2, a3) : psci_hvc(fn, a1, a2, a3);
}

u32 psci_version(void)
{
	return (u32)psci_call(PSCI_VERSION, 0, 0, 0);
}

long psci_cpu_on(u64 mpidr, u64 entry, u64 context_id)
{
	return psci_call(PSCI_CPU_ON_32, (u32)mpidr, (u32)entry, (u32)context_id);
}

long psci_cpu_off(void)
{
	return psci_call(PSCI_CPU_OFF, 0, 0, 0);
}

long psci_affinity_info(u64 mpidr)
{
	return psci_call(PSCI_AFFINITY_INFO_32, (u32)mpidr, 0, 0);
}

void psci_system_off(void)
{
	psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
}
