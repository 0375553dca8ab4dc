// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * What the start-up code of arm64 and ARMv7 shares: the per-CPU data and stacks, the logical
 * CPU number, parking a CPU and ending the inmate.
 */
#include "internal.h"

struct per_cpu per_cpus[MAX_CPUS];

/*
 * The stacks (inmate.lds) are one per CPU of the cell the image was linked for, plus a spare
 * one for a CPU that arrived with a bad context id. __stack_cpus is an absolute symbol: its
 * address is the count, kept in a word so that no PC-relative reference has to reach it.
 */
extern char __stack_cpus[];
static const uintptr_t stack_cpus = (uintptr_t)__stack_cpus;

unsigned int smp_cpu_limit(void)
{
	return stack_cpus < MAX_CPUS ? stack_cpus : MAX_CPUS;
}

unsigned int cpu_id(void)
{
	struct per_cpu *pc = this_cpu();

	/* A CPU that never got its per-CPU data (bad context id) still reports something. */
	return pc ? pc->id : MAX_CPUS;
}

void __noreturn cpu_halt(void)
{
	local_irq_disable();
	/* A parked CPU with a live timer would keep the hypervisor busy injecting its IRQ. */
	timer_stop();
	for (;;)
		wfi();
}

void __noreturn inmate_exit(void)
{
	struct hv_comm_region *comm = comm_region();

	if (comm) {
		/* SHUT_DOWN is terminal and counts as consent to any later shutdown request. */
		comm_region_set_state(HV_CELL_SHUT_DOWN);
		cpu_halt();
	}
	psci_system_off();
	cpu_halt();
}
