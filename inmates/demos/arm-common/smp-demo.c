// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * smp-demo: the boot CPU starts a second CPU with PSCI CPU_ON; both take their own virtual
 * timer interrupt every period and print their counts. The second CPU checks that the context
 * id arrived in x0 (ARMv7: r0), as PSCI specifies.
 *
 * Command line: cpu1=MPIDR (default: the first CPU that CPU_ON accepts, trying the Aff0 values
 * of our cluster from ours upwards, wrapping at 16), period-ms=100, print-every=5 (ticks per
 * line), off-after=0 (the second CPU turns itself off with PSCI CPU_OFF after this many ticks;
 * 0 = never).
 */
#include <inmate.h>

#define MAX_AFF0		16

static u64 period, print_every, off_after;
static volatile u64 ticks[MAX_CPUS];
static volatile bool stop, cpu1_leaving;
static u64 cpu1_mpidr;

static void wait_off(u64 mpidr)
{
	u64 end = timer_ticks() + timer_frequency();
	long state;

	do {
		state = psci_affinity_info(mpidr);
	} while (state != PSCI_AFFINITY_OFF && timer_ticks() < end);
	printk("smp-demo: AFFINITY_INFO(0x%llx) = %ld%s\n", mpidr, state,
	       state == PSCI_AFFINITY_OFF ? " (off)" : "");
}

static void tick_irq(unsigned int irq, u64 entry_ticks)
{
	unsigned int cpu = cpu_id();

	(void)entry_ticks;
	if (irq != IRQ_VTIMER)
		return;
	ticks[cpu]++;
	timer_arm(period);
}

/* Both CPUs: count timer ticks and print; the boot CPU also answers the comm region. */
static void count_loop(unsigned int cpu)
{
	u64 printed = 0;

	irq_init(tick_irq);
	irq_enable(IRQ_VTIMER);
	timer_arm(period);
	local_irq_enable();
	while (!stop) {
		u64 n = ticks[cpu];

		if (n / print_every > printed) {
			printed = n / print_every;
			printk("smp-demo: cpu%u (mpidr 0x%llx) count=%llu\n", cpu, cpu_mpidr(), n);
		}
		if (cpu == 0 && comm_region_poll())
			stop = true;
		if (cpu == 0 && cpu1_leaving) {
			cpu1_leaving = false;
			wait_off(cpu1_mpidr);
		}
		if (cpu != 0 && off_after && n >= off_after)
			break;
		wfi();
	}
	timer_stop();
	irq_disable(IRQ_VTIMER);
}

static void secondary_main(unsigned int cpu, u64 context_id)
{
	u64 expected = smp_context_id(cpu);

	printk("smp-demo: cpu%u up, mpidr 0x%llx, context id in " CONTEXT_ID_REG
	       " = 0x%llx (expected 0x%llx) %s\n",
	       cpu, cpu_mpidr(), context_id, expected, context_id == expected ? "ok" : "WRONG");
	count_loop(cpu);
	if (stop)
		return;
	printk("smp-demo: cpu%u calling PSCI CPU_OFF after %llu ticks\n", cpu, ticks[cpu]);
	cpu1_leaving = true;
	/* returning makes the library call psci_cpu_off() */
}

/* Try the Aff0 values after our own first: a cell's CPUs are usually neighbours. */
static long start_second_cpu(u64 *mpidr)
{
	u64 self = cpu_mpidr(), target = cmdline_get_u64("cpu1", ~0ULL);
	unsigned int i;

	if (target != ~0ULL) {
		*mpidr = target;
		return smp_start_cpu(1, target, secondary_main);
	}
	for (i = 1; i < MAX_AFF0; i++) {
		*mpidr = (self & ~0xffULL) | (((self & 0xff) + i) % MAX_AFF0);
		if (smp_start_cpu(1, *mpidr, secondary_main) == PSCI_SUCCESS)
			return PSCI_SUCCESS;
	}
	return PSCI_INVALID_PARAMETERS;
}

void inmate_main(void)
{
	u32 version = psci_version();
	long ret;

	period = timer_ns_to_ticks(cmdline_get_u64("period-ms", 100) * 1000000);
	print_every = cmdline_get_u64("print-every", 5) ?: 1;
	off_after = cmdline_get_u64("off-after", 0);
	printk("smp-demo: PSCI %u.%u on cpu0 (mpidr 0x%llx)\n", version >> 16, version & 0xffff,
	       cpu_mpidr());

	ret = start_second_cpu(&cpu1_mpidr);
	if (ret != PSCI_SUCCESS)
		printk("smp-demo: no second CPU could be started (PSCI %ld)\n", ret);
	else
		printk("smp-demo: CPU_ON(0x%llx) succeeded\n", cpu1_mpidr);
	count_loop(0);
	cpu_halt();
}
