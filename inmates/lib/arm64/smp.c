// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Secondary CPUs. A CPU started by smp_start_cpu() enters secondary_entry
 * (head.S) with the context id in x0, as PSCI specifies; the context id names its logical CPU
 * number, so the stack and per-CPU data follow from x0 alone.
 */
#include "internal.h"

u64 smp_context_id(unsigned int cpu)
{
	return ((u64)CTX_MAGIC << 32) | cpu;
}

long smp_start_cpu(unsigned int cpu, u64 mpidr, cpu_fn_t fn)
{
	struct per_cpu *pc;

	/* The image has a stack for each CPU of its cell only (inmate.lds, INMATE_CPUS). */
	if (cpu == 0 || cpu >= smp_cpu_limit())
		return PSCI_INVALID_PARAMETERS;
	pc = &per_cpus[cpu];
	pc->id = cpu;
	pc->mpidr = mpidr & MPIDR_AFF_MASK;
	pc->gicr = 0;
	pc->fn = fn;
	pc->online = false;
	/* The new CPU reads its per_cpu entry once its MMU (and with it coherency) is on. */
	dsb(ish);
	return psci_cpu_on(mpidr, (uintptr_t)secondary_entry, smp_context_id(cpu));
}

void secondary_c_entry(u64 context_id)
{
	unsigned int cpu = (unsigned int)context_id;
	struct per_cpu *pc;

	if (context_id >> 32 != CTX_MAGIC || cpu == 0 || cpu >= smp_cpu_limit()) {
		printk_unlocked("smp: CPU mpidr 0x%llx entered with bad context id 0x%llx in x0\n",
				cpu_mpidr(), context_id);
		cpu_halt();
	}
	pc = &per_cpus[cpu];
	write_sysreg(tpidr_el1, pc);
	__asm__ volatile("msr daifclr, #4" : : : "memory");
	pc->online = true;
	pc->fn(cpu, context_id);
	pc->online = false;
	dsb(ish);
	psci_cpu_off();
	cpu_halt();
}
