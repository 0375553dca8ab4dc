// SPDX-License-Identifier: GPL-2.0
/*
 * Stopping a cell's CPUs (shutdown, start, destroy) in bounded time whatever the cell does:
 * the management event first, then, for CPUs that made themselves deaf to it, the arch's
 * revocation of the cell's memory (arch_cell_revoke(); docs/security.md "Revocation
 * fallback"), and a refusal rather than a hang if even that does not stop them. Also a cell
 * stopping itself: a fatal trap (FAILED) or its own power-off (PSCI SYSTEM_OFF: SHUT_DOWN).
 */
#include <cell_internal.h>

/*
 * cell_stop_cpus() bounds. A CPU that can hear the event (arm64: the management FIQ) parks within
 * microseconds; one that did not within PARK_EVENT_US blocked it (arm64 direct mode:
 * ICC_AP1R0_EL1) and is caught by revoking the cell's memory. Not less: under QEMU a vCPU's
 * host thread can wait tens of milliseconds for a host core, and a well-behaved cell should
 * not be revoked (harmless, but the console says so). PARK_REVOKED_US more is for a
 * CPU that first finishes an exit, or whose host thread was descheduled (QEMU): generous,
 * because running out of it refuses the management call.
 */
#define PARK_EVENT_US	200000
#define PARK_REVOKED_US	1000000

/* Wait until every CPU of the cell is parked or bound_us passed since start; the late ones. */
static bool wait_parked(struct cell *cell, u64 start, u64 bound_us, struct cpu_set *late)
{
	unsigned int n;
	bool all;

	for (;;) {
		all = true;
		for_each_cpu(n, cell->cpu_set)
			all &= READ_ONCE(per_cpu(n)->parked);
		if (all || arch_time_us() - start >= bound_us)
			break;
		arch_udelay(POLL_US);
	}
	if (late) {
		*late = (struct cpu_set){ 0 };
		for_each_cpu(n, cell->cpu_set)
			if (!READ_ONCE(per_cpu(n)->parked))
				cpu_set_add(late, n);
	}
	return all;
}

/*
 * A CPU even revocation did not stop (stuck in the hypervisor, or the hardware ignores the
 * TLBI): nothing of the cell may change hands while it could still run there, so the cell
 * stays as it is, FAILED, its memory revoked, and the management call is refused. A later
 * call succeeds once the CPU has parked (park_request stays set, revocation is undone then).
 */
static long cpus_stuck(struct cell *cell, const struct cpu_set *late, u64 waited_us)
{
	unsigned int n;

	for_each_cpu(n, *late) {
		if (READ_ONCE(per_cpu(n)->parked))
			continue;
		per_cpu(n)->failed = true;
		pr_err("Cell \"%s\": CPU %u did not stop within %lu ms, not even after "
		       "stage-2 revocation: cell FAILED, its memory stays revoked, nothing is "
		       "handed back\n", cell->desc->name, n, (unsigned long)(waited_us / 1000));
	}
	set_cell_state(cell, HV_CELL_FAILED);
	return hv_refusal_ret(HV_R_CPU_STUCK);
}

/*
 * Stop every CPU of the cell in the hypervisor (parked), in bounded time whatever the cell
 * does: the event first, then arch_cell_revoke() for the CPUs that did not answer it
 * (docs/security.md "Revocation fallback"). Returns 0 once all are parked (with the cell's
 * memory as before), or the refusal of cpus_stuck().
 */
long cell_stop_cpus(struct cell *cell)
{
	struct cpu_set late, stuck;
	u64 start, revoked_at;
	bool revoked;
	unsigned int n;

	for_each_cpu(n, cell->cpu_set)
		WRITE_ONCE(per_cpu(n)->park_request, true);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	for_each_cpu(n, cell->cpu_set)
		if (!READ_ONCE(per_cpu(n)->parked))
			arch_send_event(per_cpu(n));
	start = arch_time_us();
	if (wait_parked(cell, start, PARK_EVENT_US, &late)) {
		arch_cell_unrevoke(cell);	/* left by an earlier refused call */
		return 0;
	}
	revoked = arch_cell_revoke(cell);
	revoked_at = arch_time_us();
	/* the event once more: a CPU that was just slow, or that sleeps, looks again */
	for_each_cpu(n, late)
		arch_send_event(per_cpu(n));
	if (!wait_parked(cell, revoked_at, PARK_REVOKED_US, &stuck))
		return cpus_stuck(cell, &stuck, arch_time_us() - start);
	for_each_cpu(n, late)
		pr_warn("Cell \"%s\": CPU %u did not answer the management interrupt within %u ms: "
			"%s after %lu us\n", cell->desc->name, n, PARK_EVENT_US / 1000,
			revoked ? "recovered by stage-2 revocation" : "parked late",
			(unsigned long)(arch_time_us() - revoked_at));
	arch_cell_unrevoke(cell);
	return 0;
}

/* Every CPU of the cell parks: the caller's on its way out of this exit, the others by event. */
static void park_cell_cpus(struct cell *cell, struct per_cpu *caller)
{
	unsigned int n;

	for_each_cpu(n, cell->cpu_set) {
		WRITE_ONCE(per_cpu(n)->park_request, true);
		if (per_cpu(n) != caller && !READ_ONCE(per_cpu(n)->parked))
			arch_send_event(per_cpu(n));
	}
}

/* A fatal trap in a non-root cell: the cell is FAILED and all its CPUs park. */
void cell_cpu_failed(struct per_cpu *cpu)
{
	struct cell *cell = cpu->cell;

	cpu->failed = true;
	set_cell_state(cell, HV_CELL_FAILED);
	pr_err("Cell \"%s\" FAILED: CPU %u stopped; the root and the other cells carry on\n",
	       cell->desc->name, cpu->id);
	park_cell_cpus(cell, cpu);
	ivshmem_cell_stopped(cell);
}

/*
 * A non-root cell switched itself off (PSCI SYSTEM_OFF, or SYSTEM_RESET: restarting is the
 * root's decision, `jailhouse cell start`): the cell is SHUT_DOWN and all its CPUs park, as
 * after `jailhouse cell shutdown`; its memory and devices stay with it until destroy.
 */
void cell_cpu_shut_down(struct per_cpu *cpu, const char *how)
{
	struct cell *cell = cpu->cell;

	set_cell_state(cell, HV_CELL_SHUT_DOWN);
	pr_info("Cell \"%s\" shut itself down (%s on CPU %u)\n", cell->desc->name, how, cpu->id);
	park_cell_cpus(cell, cpu);
	ivshmem_cell_stopped(cell);
}
