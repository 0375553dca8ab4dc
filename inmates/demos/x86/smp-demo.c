// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * smp-demo (x86): the first CPU starts all others with INIT/SIPI (shorthand all-excluding-
 * self, or apic=ID for one), waits until they report in, sends each an IPI, then every CPU
 * counts its own local APIC timer ticks and prints them.
 *
 * Command line: apic=ID (start only this APIC id), cpus=N (wait for this many CPUs in all;
 * default: the comm region's num_cpus, bare-metal whatever arrives within wait-ms),
 * wait-ms=200, period-ms=100, print-every=5 (ticks per line), ticks=0 (the first CPU ends the
 * demo after this many of its ticks; 0 = never).
 */
#include <inmate.h>

static u64 period_ns, print_every;
static volatile u64 ticks[MAX_CPUS], ipis[MAX_CPUS];
static volatile bool stop, shut_down;

static void irq(unsigned int vector, u64 entry_ticks)
{
	unsigned int cpu = cpu_id();

	(void)entry_ticks;
	if (vector == IRQ_TIMER)
		ticks[cpu]++;
	else if (vector == IRQ_IPI)
		ipis[cpu]++;
}

static void count_loop(unsigned int cpu, u64 until)
{
	u64 printed = 0, ipis_seen = 0;

	irq_init(irq);
	apic_timer_periodic(period_ns);
	local_irq_enable();
	while (!stop) {
		u64 n = ticks[cpu];

		if (ipis[cpu] != ipis_seen) {
			ipis_seen = ipis[cpu];
			printk("smp-demo: cpu%u got IPI %llu\n", cpu, ipis_seen);
		}
		if (n / print_every > printed) {
			printed = n / print_every;
			printk("smp-demo: cpu%u (apic id %u) count=%llu\n", cpu, cpu_apic_id(), n);
		}
		if (cpu == 0 && comm_region_poll())
			stop = shut_down = true;
		if (cpu == 0 && until && n >= until)
			stop = true;
		wfi();
	}
	local_irq_disable();
	apic_timer_stop();
}

static void secondary_main(unsigned int cpu)
{
	printk("smp-demo: cpu%u up, apic id %u\n", cpu, cpu_apic_id());
	count_loop(cpu, 0);
}

void inmate_main(void)
{
	u64 target = cmdline_get_u64("apic", ~0UL), until = cmdline_get_u64("ticks", 0);
	struct hv_comm_region *comm = comm_region();
	unsigned int cpu, online, want;

	want = cmdline_get_u64("cpus", comm ? hv_comm_x86(comm)->num_cpus : 0);
	period_ns = cmdline_get_u64("period-ms", 100) * 1000000;
	print_every = cmdline_get_u64("print-every", 5) ?: 1;
	printk("smp-demo: cpu0 (apic id %u) starting %s\n", cpu_apic_id(),
	       target == ~0UL ? "all other CPUs" : "one CPU");

	if (target == ~0UL)
		smp_start_cpus(secondary_main);
	else
		smp_start_apic(target, secondary_main);
	online = smp_wait_online(want ? want : MAX_CPUS, cmdline_get_u64("wait-ms", 200));
	printk("smp-demo: %u CPUs online%s\n", online,
	       smp_stray_cpus() ? " (some found no free stack)" : "");

	for (cpu = 1; cpu < MAX_CPUS; cpu++)
		if (cpu_online(cpu))
			apic_send_ipi(cpu_to_apic_id(cpu), IRQ_IPI);
	count_loop(0, until);
	if (shut_down)
		cpu_halt();	/* the hypervisor stops the cell next */
	printk("smp-demo: done after %llu ticks on cpu0\n", ticks[0]);
}
