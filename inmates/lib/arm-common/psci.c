// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * PSCI (arm64 and ARMv7) through smc (in a cell, where the hypervisor traps SMC) or hvc (QEMU's
 * own PSCI when it runs us without EL2/HYP). The build picks the default, psci=smc|hvc
 * overrides it. The calls themselves (registers, SMC64 or SMC32 function ids) are the
 * architecture's: arch-internal.h.
 */
#include "internal.h"

#define PSCI_VERSION		0x84000000
#define PSCI_CPU_OFF		0x84000002
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

static long psci_call(u32 fn, u64 a1, u64 a2, u64 a3)
{
	return psci_uses_smc() ? arch_psci_smc(fn, a1, a2, a3) : arch_psci_hvc(fn, a1, a2, a3);
}

u32 psci_version(void)
{
	return (u32)psci_call(PSCI_VERSION, 0, 0, 0);
}

long psci_cpu_on(u64 mpidr, u64 entry, u64 context_id)
{
	return psci_call(PSCI_CPU_ON, mpidr, entry, context_id);
}

long psci_cpu_off(void)
{
	return psci_call(PSCI_CPU_OFF, 0, 0, 0);
}

long psci_affinity_info(u64 mpidr)
{
	return psci_call(PSCI_AFFINITY_INFO, mpidr, 0, 0);
}

void psci_system_off(void)
{
	psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
}
