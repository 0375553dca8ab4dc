// SPDX-License-Identifier: GPL-2.0
/*
 * PSCI 1.1 and SMCCC arch calls for guests, shared by arm64 and ARMv7 (SMC32 and SMC64 calling
 * conventions alike). CPU_OFF parks the CPU inside the hypervisor, so it stays ours and a later
 * CPU_ON (from the same cell) restarts it with a clean state, through the core's generic start
 * request (CPU_START_PENDING). The trapped registers are read through the arch's accessors.
 * When the root restarts from one CPU and leaves the hypervisor (the ARMv7 stub's
 * HVC_SOFT_RESTART: kexec), its other CPUs go back to the firmware with a real CPU_OFF.
 */
#include <asm/arm_arch.h>
#include <asm/psci.h>

#define PSCI_VERSION		0x84000000
#define PSCI_CPU_SUSPEND	0x84000001
#define PSCI_CPU_OFF		0x84000002
#define PSCI_CPU_ON		0x84000003
#define PSCI_AFFINITY_INFO	0x84000004
#define PSCI_MIGRATE_INFO_TYPE	0x84000006
#define PSCI_SYSTEM_OFF		0x84000008
#define PSCI_SYSTEM_RESET	0x84000009
#define PSCI_FEATURES		0x8400000a
#define PSCI_SMC64		0x40000000
#define PSCI_TRNG_FIRST		0x84000050
#define PSCI_TRNG_LAST		0x8400005f
#define SMCCC_VERSION		0x80000000
#define SMCCC_ARCH_FEATURES	0x80000001

#define PSCI_SUCCESS		0
#define PSCI_NOT_SUPPORTED	-1
#define PSCI_INVALID_PARAMS	-2
#define PSCI_ALREADY_ON		-4
#define PSCI_ON_PENDING		-5
#define PSCI_TRUSTED_OS_NONE	2
#define AFF_ON			0
#define AFF_OFF			1
#define AFF_ON_PENDING		2
/* how long the root's restart waits for the firmware to report its other CPUs off */
#define FIRMWARE_OFF_WAIT_US	1000000

static spinlock_t psci_lock;
/* CPUs asked to leave the hypervisor for the firmware (psci_root_cpus_to_firmware()) */
static volatile bool to_firmware[CONFIG_MAX_CPUS];

static struct per_cpu *target_cpu(struct per_cpu *caller, u64 mpidr, const char *call)
{
	struct per_cpu *target = cpu_by_hw_id(mpidr & MPIDR_AFF_MASK);

	if (target && target->cell == caller->cell)
		return target;
	guest_warn(caller->cell,
		   "PSCI %s of MPIDR 0x%llx, not a CPU of the cell: INVALID_PARAMETERS\n",
		   call, mpidr);
	return NULL;
}

static long cpu_on(struct per_cpu *caller, u64 mpidr, u64 entry, u64 context)
{
	struct per_cpu *target = target_cpu(caller, mpidr, "CPU_ON");
	long ret = PSCI_SUCCESS;

	if (!target)
		return PSCI_INVALID_PARAMS;
	spin_lock(&psci_lock);
	if (target->state == CPU_RUNNING) {
		ret = PSCI_ALREADY_ON;
	} else if (target->state == CPU_START_PENDING) {
		ret = PSCI_ON_PENDING;
	} else {
		target->start_address = entry;
		target->start_context = context;
		target->state = CPU_START_PENDING;
	}
	spin_unlock(&psci_lock);
	if (ret == PSCI_SUCCESS)
		arch_send_event(target);
	return ret;
}

static long affinity_info(struct per_cpu *caller, u64 mpidr, u64 level)
{
	struct per_cpu *target = target_cpu(caller, mpidr, "AFFINITY_INFO");

	if (!target || level)
		return PSCI_INVALID_PARAMS;
	switch (READ_ONCE(target->state)) {
	case CPU_RUNNING:
		return AFF_ON;
	case CPU_START_PENDING:
		return AFF_ON_PENDING;
	default:
		/* off means parked: Linux hands a CPU to a cell as soon as it reads OFF */
		return READ_ONCE(target->parked) ? AFF_OFF : AFF_ON;
	}
}

/*
 * This CPU leaves the hypervisor for the firmware: traps and interrupt interface as the
 * hypervisor found them (the CPU is CPU_OFF for the core from here on), then PSCI CPU_OFF by
 * SMC, which returns only if the firmware refuses.
 */
static void __noreturn cpu_to_firmware(struct per_cpu *cpu)
{
	long ret;

	arch_cpu_deactivate(cpu);
	ret = arm_firmware_smc(PSCI_CPU_OFF, 0, 0);
	pr_err("Hypervisor: CPU %u: the firmware refused PSCI CPU_OFF (%ld): halted here\n",
	       cpu->id, ret);
	arch_halt();
}

static void check_to_firmware(struct per_cpu *cpu)
{
	if (unlikely(READ_ONCE(to_firmware[cpu->id])))
		cpu_to_firmware(cpu);
}

/*
 * The root restarts the machine from the calling CPU and leaves the hypervisor there: what
 * comes next (a kexec'd kernel) starts the other CPUs with the firmware's CPU_ON, which would
 * find a CPU still parked here "on" and refuse. So every other root CPU that is in the
 * hypervisor (parked by Linux's hot-unplug before kexec, or still running) is sent to the
 * firmware, and the caller waits until the firmware itself reports each one off (AFFINITY_INFO),
 * for at most FIRMWARE_OFF_WAIT_US; a late one is named. Only with no other cell: the root's
 * CPUs are then all the hypervisor has.
 */
void psci_root_cpus_to_firmware(struct per_cpu *caller)
{
	struct cpu_set pending = { 0 };
	unsigned int n, sent = 0;
	u64 start = arch_time_us(), waited;
	bool all_off;
	long aff;

	for_each_cpu(n, hv.root.cpu_set) {
		/* the caller, or a CPU that never entered: the firmware has that one already */
		if (n == caller->id || READ_ONCE(per_cpu(n)->state) == CPU_OFF)
			continue;
		WRITE_ONCE(to_firmware[n], true);
		/* a running one parks at its next exit, vcpu_park() sends it on */
		WRITE_ONCE(per_cpu(n)->park_request, true);
		arch_send_event(per_cpu(n));
		cpu_set_add(&pending, n);
		sent++;
	}
	if (!sent)
		return;
	do {
		all_off = true;
		for_each_cpu(n, pending)
			if (arm_firmware_smc(PSCI_AFFINITY_INFO, per_cpu(n)->hw_id, 0) != AFF_OFF)
				all_off = false;
		waited = arch_time_us() - start;
	} while (!all_off && waited < FIRMWARE_OFF_WAIT_US);
	if (all_off) {
		pr_info("Hypervisor: %u CPUs handed back to the firmware (PSCI CPU_OFF) in %u us\n",
			sent, (unsigned int)waited);
		return;
	}
	for_each_cpu(n, pending) {
		aff = arm_firmware_smc(PSCI_AFFINITY_INFO, per_cpu(n)->hw_id, 0);
		if (aff != AFF_OFF)
			pr_err("Hypervisor: CPU %u not off after %u ms (firmware AFFINITY_INFO "
			       "%ld): the next system may not start it\n", n,
			       (unsigned int)(waited / 1000), aff);
	}
}

/*
 * Wait, in the hypervisor, until someone CPU_ONs us; then start over at the requested entry
 * point. The CPU is quiet (timers off, interrupts ended) before anyone can see it parked or
 * off: the state and the flag cell create checks are published together, parked first.
 */
void vcpu_park(struct per_cpu *cpu, struct regs *regs)
{
	vcpu_quiesce(cpu);
	gic_cpu_reset(cpu);
	spin_lock(&psci_lock);
	WRITE_ONCE(cpu->parked, true);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	WRITE_ONCE(cpu->state, cpu->failed ? CPU_FAILED : CPU_PARKED);
	spin_unlock(&psci_lock);
	/* a park request (cell stop/destroy, failed cell) holds the CPU here even if CPU_ON'ed */
	for (;;) {
		check_to_firmware(cpu);
		if (READ_ONCE(cpu->state) == CPU_START_PENDING && !READ_ONCE(cpu->park_request))
			break;
		if (hv.panicked)
			arch_halt();
		arm_wait_for_interrupt();
		gic_drain_irqs(cpu);
	}
	WRITE_ONCE(cpu->parked, false);
	/* the CPU may have changed hands while parked: the reset also loads its cell's stage 2 */
	vcpu_reset(cpu, regs, cpu->start_address, cpu->start_context);
	cpu->state = CPU_RUNNING;
}

static bool psci_supported(u32 fid)
{
	switch (fid & ~PSCI_SMC64) {
	case PSCI_VERSION:
	case PSCI_CPU_SUSPEND:
	case PSCI_CPU_OFF:
	case PSCI_CPU_ON:
	case PSCI_AFFINITY_INFO:
	case PSCI_MIGRATE_INFO_TYPE:
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
	case PSCI_FEATURES:
		return true;
	}
	return fid == SMCCC_VERSION;
}

static long psci_call(struct per_cpu *cpu, struct regs *regs, u32 fid)
{
	switch (fid & ~PSCI_SMC64) {
	case PSCI_VERSION:
		return 0x10001;
	case PSCI_CPU_SUSPEND:
		/* standby for any power state: allowed, and the guest's state survives */
		vcpu_idle(cpu);
		return PSCI_SUCCESS;
	case PSCI_CPU_ON:
		return cpu_on(cpu, arm_guest_reg(regs, 1), arm_guest_reg(regs, 2),
			      arm_guest_reg(regs, 3));
	case PSCI_AFFINITY_INFO:
		return affinity_info(cpu, arm_guest_reg(regs, 1), arm_guest_reg(regs, 2));
	case PSCI_MIGRATE_INFO_TYPE:
		return PSCI_TRUSTED_OS_NONE;
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
		if (cpu->cell != &hv.root) {
			/* the cell's own power button: it parks on the way out of this exit */
			cell_cpu_shut_down(cpu, (fid & ~PSCI_SMC64) == PSCI_SYSTEM_OFF ?
					   "PSCI SYSTEM_OFF" : "PSCI SYSTEM_RESET");
			return PSCI_SUCCESS;
		}
		pr_info("Hypervisor: root requested system %s\n",
			(fid & ~PSCI_SMC64) == PSCI_SYSTEM_OFF ? "off" : "reset");
		return arm_firmware_smc(fid, 0, 0);
	case PSCI_FEATURES:
		return psci_supported(arm_guest_reg(regs, 1)) ? PSCI_SUCCESS :
							 PSCI_NOT_SUPPORTED;
	}
	/* Linux probes the SMCCC TRNG (0x84000050-0x8400005f) at boot: no such service */
	if ((fid & ~PSCI_SMC64) < PSCI_TRNG_FIRST || (fid & ~PSCI_SMC64) > PSCI_TRNG_LAST)
		guest_warn(cpu->cell, "unknown PSCI function 0x%x: NOT_SUPPORTED\n", fid);
	return PSCI_NOT_SUPPORTED;
}

static long smccc_arch_call(struct per_cpu *cpu, u32 fid, u64 arg)
{
	if (fid == SMCCC_VERSION)
		return 0x10001;
	if (fid == SMCCC_ARCH_FEATURES)
		return arg == SMCCC_VERSION || arg == SMCCC_ARCH_FEATURES ? 0 : PSCI_NOT_SUPPORTED;
	guest_warn(cpu->cell, "unknown SMCCC arch function 0x%x: NOT_SUPPORTED\n", fid);
	return PSCI_NOT_SUPPORTED;
}

void psci_handle(struct per_cpu *cpu, struct regs *regs)
{
	u32 fid = arm_guest_reg(regs, 0);
	u32 owner = (fid >> 24) & 0x3f;
	long ret;

	arm_skip_instruction();		/* SMC traps before executing */
	if (owner == 4 && (fid & ~PSCI_SMC64) == PSCI_CPU_OFF) {
		stat_inc(cpu, EXIT_PSCI);
		if (cpu->cell != &hv.root)
			pr_info("Cell \"%s\": CPU %u off (PSCI CPU_OFF)\n", cpu->cell->desc->name,
				cpu->id);
		vcpu_park(cpu, regs);
		return;
	}
	if (owner == 4) {
		stat_inc(cpu, EXIT_PSCI);
		ret = psci_call(cpu, regs, fid);
	} else if (owner == 0) {
		stat_inc(cpu, EXIT_SMCCC);
		ret = smccc_arch_call(cpu, fid, arm_guest_reg(regs, 1));
	} else {
		/* no firmware service but PSCI is passed through to a guest */
		guest_warn(cpu->cell, "SMC 0x%x to service %u: NOT_SUPPORTED\n", fid, owner);
		ret = PSCI_NOT_SUPPORTED;
	}
	arm_guest_reg_set(regs, 0, ret);
}
