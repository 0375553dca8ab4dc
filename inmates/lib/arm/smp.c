// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Secondary CPUs. A CPU started by smp_start_cpu() enters secondary_entry (head.S) with the
 * context id in r0, as PSCI specifies; the context id names its logical CPU number, so the
 * stack and per-CPU data follow from r0 alone.
 *
 * The spinlock (spinlock.c) uses ldrex/strex here on memory the MMU-less library sees as
 * Strongly-ordered. QEMU supports that; on hardware it takes a global exclusive monitor for
 * uncached memory (ARMv7 leaves it IMPLEMENTATION DEFINED). The library itself only takes it
 * to keep console lines whole.
 */
#include "internal.h"

u64 smp_context_id(unsigned int cpu)
{
	return (CTX_MAGIC << CTX_SHIFT) | cpu;
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
	pc->gic_target = 0;
	pc->fn = fn;
	pc->online = false;
	dsb(ish);
	return psci_cpu_on(mpidr, (uintptr_t)secondary_entry, smp_context_id(cpu));
}

void secondary_c_entry(u32 context_id)
{
	unsigned int cpu = context_id & 0xffff;
	struct per_cpu *pc;

	if (context_id >> CTX_SHIFT != CTX_MAGIC || cpu == 0 || cpu >= smp_cpu_limit()) {
		printk_unlocked("smp: CPU mpidr 0x%llx entered with bad context id 0x%x in r0\n",
				cpu_mpidr(), context_id);
		cpu_halt();
	}
	pc = &per_cpus[cpu];
	arm_write_cp32(TPIDRPRW, pc);
	__asm__ volatile("cpsie a" : : : "memory");
	pc->online = true;
	pc->fn(cpu, context_id);
	pc->online = false;
	dsb(ish);
	psci_cpu_off();
	cpu_halt();
}
