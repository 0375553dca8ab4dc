// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * PSCI through smc (in a cell, where the hypervisor traps SMC) or hvc (QEMU's own PSCI when
 * it runs us at EL1 without EL2). The build picks the default, psci=smc|hvc overrides it.
 */
#include "internal.h"

#define PSCI_VERSION		0x84000000
#define PSCI_CPU_OFF		0x84000002
#define PSCI_CPU_ON_64		0xc4000003
#define PSCI_AFFINITY_INFO_64	0xc4000004
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

/* SMCCC 1.0 lets the callee clobber x4..x17. */
#define PSCI_CLOBBERS	"x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", \
			"x14", "x15", "x16", "x17", "memory"

/*
 * Explicit-register variables are only guaranteed at the asm statement itself, so nothing that
 * may call a function (psci_uses_smc) may sit between their assignment and the asm.
 */
#define DEFINE_PSCI_CALL(name, insn)						\
static long name(u64 fn, u64 a1, u64 a2, u64 a3)				\
{										\
	register u64 x0 __asm__("x0") = fn;					\
	register u64 x1 __asm__("x1") = a1;					\
	register u64 x2 __asm__("x2") = a2;					\
	register u64 x3 __asm__("x3") = a3;					\
										\
	__asm__ volatile(insn " #0" : "+r" (x0), "+r" (x1), "+r" (x2), "+r" (x3)	\
			 : : PSCI_CLOBBERS);					\
	return (long)x0;							\
}

DEFINE_PSCI_CALL(psci_smc, "smc")
DEFINE_PSCI_CALL(psci_hvc, "hvc")

static long psci_call(u64 fn, u64 a1, u64 a2, u64 a3)
{
	return psci_uses_smc() ? psci_smc(fn, a1, a2, a3) : psci_hvc(fn, a1, a2, a3);
}

u32 psci_version(void)
{
	return (u32)psci_call(PSCI_VERSION, 0, 0, 0);
}

long psci_cpu_on(u64 mpidr, u64 entry, u64 context_id)
{
	return psci_call(PSCI_CPU_ON_64, mpidr, entry, context_id);
}

long psci_cpu_off(void)
{
	return psci_call(PSCI_CPU_OFF, 0, 0, 0);
}

long psci_affinity_info(u64 mpidr)
{
	return psci_call(PSCI_AFFINITY_INFO_64, mpidr, 0, 0);
}

void psci_system_off(void)
{
	psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
}
